import { PassThrough } from 'node:stream';
import { startProgress } from '../../src/cli/progress.reporter';

const collect = (tty: boolean) => {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  if (tty)
    Object.assign(stream, {
      isTTY: true,
      columns: 120,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    });
  let text = '';
  stream.on('data', (chunk) => (text += String(chunk)));
  return { stream, text: () => text };
};

describe('audit progress', () => {
  afterEach(() => jest.useRealTimers());

  it('without a terminal, prints a plain line with count, share, rate and time left every 10 s', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const out = collect(false);
    const progress = startProgress('verify', out.stream, { head: 40_960n });
    for (let i = 1; i <= 8_192; i++) {
      if (i === 4_096) jest.advanceTimersByTime(11_000);
      await progress.tick(i);
    }
    progress.stop();
    expect(out.text()).toBe('verify: 4,096 events, 10%, 372 events/s, about 99 s left\n');
  });

  it('without a terminal, a short run prints nothing', async () => {
    const out = collect(false);
    const progress = startProgress('export', out.stream, { head: 100n });
    for (let i = 1; i <= 5_000; i++) await progress.tick(i);
    progress.stop();
    expect(out.text()).toBe('');
  });

  it('on a terminal, draws a bar with the share, the events, the rate and the ETA', async () => {
    const out = collect(true);
    const progress = startProgress('export', out.stream, { head: 8_192n, after: 0n });
    for (let i = 1; i <= 4_096; i++) await progress.tick(i);
    progress.stop();
    expect(out.text()).toMatch(/export \[[^\]]+\] 50% \| 4,096 events \| [\d,]+ events\/s \| ETA/);
  });
});
