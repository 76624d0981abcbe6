/**
 * Child process for the kill test: appends one event at a time to a stream and prints
 * `ack <eventId>` after each acknowledgement, until it is killed. Run with
 * `node -r ts-node/register/transpile-only append-until-killed.ts <dataDir> <streamId>`.
 */
import { randomUUID } from 'node:crypto';
import type { ExpectedRevision } from '../../../src/event-store/event-store.port';
import { openSqliteEventStore } from '../../../src/event-store/sqlite/sqlite.event-store';

async function appendUntilKilled(dataDir: string, streamId: string): Promise<never> {
  const store = await openSqliteEventStore({ dataDir });
  let expectedRevision: ExpectedRevision = 'no_stream';
  for (;;) {
    const id = randomUUID();
    const result = await store.appendToStream(
      streamId,
      [{ id, type: 'CaseTransferred', data: { id }, metadata: {} }],
      { expectedRevision },
    );
    expectedRevision = result.nextExpectedRevision;
    // Writes to a pipe are synchronous on Linux: the line is out before the next append starts.
    process.stdout.write(`ack ${id}\n`);
  }
}

const [dataDir, streamId] = process.argv.slice(2);
if (!dataDir || !streamId) throw new Error('usage: append-until-killed <dataDir> <streamId>');
appendUntilKilled(dataDir, streamId).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
