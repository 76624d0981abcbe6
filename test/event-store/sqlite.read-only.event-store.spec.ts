import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/event-store/sqlite/sqlite.event-store';
import { SqliteReadOnlyEventStore } from '../../src/event-store/sqlite/sqlite.read-only.event-store';
import type { SqliteReader } from '../../src/event-store/sqlite/sqlite.reader';
import { EVENTS_FILE_NAME } from '../../src/event-store/sqlite/sqlite.schema';

/** Longer than any test runs: a subscription that waited for its poll would time the test out. */
const NEVER_POLLS = { pageBytes: 16 * 1024, pollIntervalMs: 10 * 60_000 };

describe('the embedded store opened read-only, as the projection thread opens it', () => {
  let dataDir: string;
  let writer: SqliteEventStore;
  let reader: SqliteReadOnlyEventStore;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'case-read-only-'));
    writer = await openSqliteEventStore({ dataDir });
    reader = new SqliteReadOnlyEventStore(join(dataDir, EVENTS_FILE_NAME), 50, NEVER_POLLS);
  });
  afterEach(async () => {
    await reader.close();
    await writer.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('catches up, then delivers a commit it is told of without waiting for its poll', async () => {
    await appendOne(writer, 'case-1');
    const subscription = reader.subscribeToAll({ streamPrefix: 'case-' });
    const events = subscription[Symbol.asyncIterator]();
    expect((await events.next()).value).toMatchObject({ streamId: 'case-1', revision: 0n });

    const next = events.next();
    const position = await appendOne(writer, 'case-2');
    reader.notifyCommitted();

    const delivered = (await next).value as RecordedEvent;
    expect(delivered).toMatchObject({ streamId: 'case-2', position });
    await subscription.unsubscribe();
  });

  it('wakes, for a commit relayed with its prefix, only the subscriptions that may want it', async () => {
    const cases = reader.subscribeToAll({ streamPrefix: 'case-' });
    const erasures = reader.subscribeToAll({ streamPrefix: 'erasure-' });
    const caseEvents = cases[Symbol.asyncIterator]();
    const erasureEvents = erasures[Symbol.asyncIterator]();
    const readerOf = (reader as unknown as { reader: SqliteReader }).reader;
    const reads = jest.spyOn(readerOf, 'allRowsWithin');
    const nextCase = caseEvents.next();
    const nextErasure = erasureEvents.next();
    await new Promise((resolve) => setImmediate(resolve));
    const readsWhenIdle = reads.mock.calls.length;

    const position = await appendOne(writer, 'case-3');
    reader.notifyCommitted('case-');

    expect((await nextCase).value).toMatchObject({ streamId: 'case-3', position });
    // One read, by the case subscription; the erasure subscription slept through the hint.
    expect(reads.mock.calls.length).toBe(readsWhenIdle + 1);
    await appendOne(writer, 'erasure-USR-1');
    reader.notifyCommitted();
    expect((await nextErasure).value).toMatchObject({ streamId: 'erasure-USR-1' });
    await cases.unsubscribe();
    await erasures.unsubscribe();
  });

  it('ends its subscriptions when it closes, and takes no new ones', async () => {
    const subscription = reader.subscribeToAll();
    const waiting = subscription[Symbol.asyncIterator]().next();

    await reader.close();

    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(() => reader.subscribeToAll()).toThrow(/closed/);
  });

  it('refuses appends', async () => {
    await expect(reader.appendToStream()).rejects.toThrow(/read-only/);
  });
});

async function appendOne(store: SqliteEventStore, streamId: string): Promise<bigint> {
  const { position } = await store.appendToStream(
    streamId,
    [{ id: randomUUID(), type: 'Happened', data: { n: 1 }, metadata: {} }],
    { expectedRevision: 'any' },
  );
  return position;
}
