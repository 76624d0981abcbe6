import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openSqliteEventStore } from '../../src/event-store/sqlite/sqlite.event-store';
import { readStream, uniqueStream } from './contract/contract.fixtures';

const CHILD = join(__dirname, 'support', 'append-until-killed.ts');
const ACKS_BEFORE_KILL = 5;

describe('sqlite event store, when its process is killed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sqlite-event-store-kill-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every append it acknowledged', async () => {
    const streamId = uniqueStream();
    const child = spawn(
      process.execPath,
      ['-r', require.resolve('ts-node/register/transpile-only'), CHILD, dataDir, streamId],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const acknowledged: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      const [word, eventId] = line.split(' ');
      if (word !== 'ack' || !eventId) continue;
      acknowledged.push(eventId);
      // The child keeps appending, so the kill lands wherever its next commit happens to be.
      if (acknowledged.length === ACKS_BEFORE_KILL) child.kill('SIGKILL');
    }
    const [, signal] = await exited;

    const store = await openSqliteEventStore({ dataDir });
    try {
      const recorded = await readStream(store, streamId);
      expect(signal).toBe('SIGKILL');
      expect(acknowledged.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
      expect(recorded.slice(0, acknowledged.length).map((event) => event.id)).toEqual(acknowledged);
      expect(recorded.map((event) => event.revision)).toEqual(recorded.map((_, i) => BigInt(i)));
    } finally {
      await store.close();
    }
  });
});
