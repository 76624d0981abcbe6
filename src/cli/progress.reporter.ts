import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';

/** Redrawing costs more than counting: the bar hears about every this many events. */
const REPORT_EVERY = 4_096;

export interface ProgressReporter {
  /**
   * Counts one more item; cheap enough to call per event. Every few thousand items it returns a
   * promise to await: reading the embedded store resolves at once, so without that pause a long
   * run would never let timers fire (the bar's redraw, Ctrl-C, a memory sampler).
   */
  tick(): Promise<void> | undefined;
  stop(): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A live counter on stderr while long work runs, only where a person watches it (a TTY):
 * redirected to a file or a pipe, stderr gets no control characters, only the commands' own
 * one-line summaries. Totals are unknown up front (the port cannot count events without
 * reading them), so it shows a count and a rate rather than a percentage.
 */
export function startProgress(label: string, err: Writable): ProgressReporter {
  if (!(err as Writable & { isTTY?: boolean }).isTTY) return silentProgress();
  const bar = new SingleBar({
    stream: err as unknown as NodeJS.WritableStream,
    format: `${label} {value} events | {rate} events/s | {duration_formatted}`,
    fps: 5,
    hideCursor: true,
    clearOnComplete: true,
    formatValue: (value, _options, type) =>
      type === 'value' ? value.toLocaleString('en-US') : String(value),
  });
  const started = Date.now();
  let count = 0;
  let stopped = false;
  bar.start(0, 0, { rate: 0 });
  const report = () => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    bar.update(count, { rate: Math.round(count / seconds).toLocaleString('en-US') });
  };
  return {
    tick() {
      count += 1;
      if (count % REPORT_EVERY !== 0) return undefined;
      report();
      return yieldToEventLoop();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      report();
      bar.stop();
    },
  };
}

function silentProgress(): ProgressReporter {
  let count = 0;
  return {
    tick: () => (++count % REPORT_EVERY === 0 ? yieldToEventLoop() : undefined),
    stop: () => undefined,
  };
}

/** `1,234,567 events in 3.2 s (385,802 events/s)`, for the summaries on stderr. */
export function describeThroughput(events: number, startedAt: bigint): string {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const rate = seconds > 0 ? Math.round(events / seconds) : events;
  return `${events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} events/s)`;
}
