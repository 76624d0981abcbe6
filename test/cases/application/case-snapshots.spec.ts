import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseStreamId } from '../../../src/cases/application/case-event.codec';
import { CaseEventStream } from '../../../src/cases/application/case-event-stream';
import { CaseFoldCache } from '../../../src/cases/application/case-fold.cache';
import { jsonCaseSnapshotCodec } from '../../../src/cases/application/case-snapshot.codec';
import { CaseSnapshots } from '../../../src/cases/application/case-snapshots';
import {
  CASE_FOLD_VERSION,
  emptyCaseFold,
  type CaseFold,
} from '../../../src/cases/application/case.fold';
import { loadConfig } from '../../../src/config/app.config';
import { createEsdbEventStore } from '../../../src/event-store/esdb/esdb.event-store';
import type { EventStore, ReadStreamOptions } from '../../../src/event-store/event-store.port';
import { InMemoryEventStore } from '../../../src/event-store/memory/in-memory.event-store';
import type { SnapshotStore } from '../../../src/event-store/snapshot-store.port';
import { openSqliteEventStore } from '../../../src/event-store/sqlite/sqlite.event-store';
import { startEsdbTestServer, type EsdbTestServer } from '../../esdb/esdb.test-server';
import { appendRaw, entry, readsRecorded } from './case-stream.fixtures';

const EVERY = 10;

interface StoreUnderTest {
  open(): Promise<EventStore>;
  close(): Promise<void>;
}

function sqliteStore(): StoreUnderTest {
  const dir = mkdtempSync(join(tmpdir(), 'case-snapshots-'));
  return {
    open: () => openSqliteEventStore({ dataDir: dir }),
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function esdbStore(): StoreUnderTest {
  let server: EsdbTestServer | undefined;
  return {
    open: async () => {
      server = await startEsdbTestServer();
      return createEsdbEventStore(server.connectionString);
    },
    close: async () => server?.stop(),
  };
}

const inMemoryStore = (): StoreUnderTest => ({
  open: async () => new InMemoryEventStore(),
  close: async () => undefined,
});

describe.each([
  ['sqlite', sqliteStore],
  ['esdb (wire-level test server)', esdbStore],
  ['in-memory', inMemoryStore],
])('snapshots of case folds, on the %s store', (_name, makeStore) => {
  let underTest: StoreUnderTest;
  let store: EventStore;
  let snapshotStore: SnapshotStore;
  let caseId: string;
  let reads: (ReadStreamOptions | undefined)[];
  let warnings: string[];

  beforeAll(async () => {
    underTest = makeStore();
    store = await underTest.open();
    snapshotStore = store.snapshots()!;
  });
  afterAll(async () => {
    await store.close();
    await underTest.close();
  });
  beforeEach(() => {
    caseId = `CAS-${randomInt(1000, 9999)}-${randomInt(1000, 9999)}-${randomInt(1000, 9999)}`;
    reads = [];
    warnings = [];
  });

  /** A case event stream as the service builds it, but without a fold cache: every load is cold. */
  const streamWithSnapshots = (on: EventStore = store) =>
    new CaseEventStream(
      readsRecorded(on, reads),
      new CaseFoldCache(0),
      new CaseSnapshots(on.snapshots()!, {
        every: EVERY,
        logger: { warn: (message: string) => warnings.push(message) },
      }),
    );
  const fullRead = (options?: { upTo?: number }) =>
    new CaseEventStream(store).load(caseId, options);

  /** The case written through the stream, some commands with an idempotency key. */
  async function givenCaseOf(events: number, stream = streamWithSnapshots()): Promise<CaseFold> {
    const fold = await appendThrough(stream, emptyCaseFold(caseId), events);
    reads.length = 0;
    return fold;
  }

  /** `count` more events after `fold`, one command each; resolves once snapshots are written. */
  async function appendThrough(stream: CaseEventStream, fold: CaseFold, count: number) {
    let next = fold;
    for (let i = 0; i < count; i++) {
      next = await stream.append(next, [entry(caseId, next.revision, `key-${next.revision % 7}`)]);
    }
    await stream.snapshotsWritten();
    return next;
  }

  async function givenSnapshot(fold: CaseFold, version = CASE_FOLD_VERSION): Promise<void> {
    const data = await jsonCaseSnapshotCodec.encode(fold);
    await snapshotStore.deleteSnapshots(caseStreamId(caseId));
    await snapshotStore.writeSnapshot(caseStreamId(caseId), {
      revision: BigInt(fold.revision - 1),
      version,
      data,
    });
  }

  const snapshotRevision = async () =>
    (await snapshotStore.readSnapshot(caseStreamId(caseId)))?.revision;

  describe('writing', () => {
    it('snapshots the fold once an append crosses a multiple of the interval', async () => {
      const stream = streamWithSnapshots();
      const fold = await appendThrough(stream, emptyCaseFold(caseId), EVERY - 1);
      expect(await snapshotRevision()).toBeUndefined();

      await appendThrough(stream, fold, 4);

      expect(await snapshotRevision()).toBe(BigInt(EVERY - 1));
    });

    it('snapshots the fold after a load that had to read more events than the interval', async () => {
      await appendRaw(store, caseId, 0, 2 * EVERY + 5);
      const stream = streamWithSnapshots();

      await stream.load(caseId);
      await stream.snapshotsWritten();

      expect(await snapshotRevision()).toBe(BigInt(2 * EVERY + 4));
    });

    it('never replaces a newer snapshot with an older one scheduled after it', async () => {
      const fold = await givenCaseOf(2 * EVERY + 1);
      const older = await fullRead({ upTo: EVERY });
      const snapshots = new CaseSnapshots(snapshotStore, { every: EVERY });

      snapshots.schedule(fold);
      snapshots.schedule(older);
      await snapshots.settled();

      expect(await snapshotRevision()).toBe(BigInt(2 * EVERY));
    });
  });

  describe('loading', () => {
    it('from a snapshot equals a full read: state, revision, position, audits and keys', async () => {
      await givenCaseOf(2 * EVERY + 3);

      const fold = await streamWithSnapshots().load(caseId);

      expect(fold).toEqual(await fullRead());
      expect(fold.requests.size).toBe(7);
      expect(reads).toEqual([{ fromRevision: BigInt(2 * EVERY - 1) }]);
    });

    it('with ?revision=, starts from a snapshot not past it and never from one past it', async () => {
      await givenCaseOf(2 * EVERY + 3);

      expect(await streamWithSnapshots().load(caseId, { upTo: 2 * EVERY + 1 })).toEqual(
        await fullRead({ upTo: 2 * EVERY + 1 }),
      );
      expect(await streamWithSnapshots().load(caseId, { upTo: EVERY + 1 })).toEqual(
        await fullRead({ upTo: EVERY + 1 }),
      );

      expect(reads).toEqual([
        { fromRevision: BigInt(2 * EVERY - 1), maxCount: 2 },
        { maxCount: EVERY + 1 },
      ]);
    });

    it('ignores a snapshot of another fold version, and replaces it', async () => {
      await givenCaseOf(EVERY + 3);
      await givenSnapshot(await fullRead(), CASE_FOLD_VERSION + 1);
      const stream = streamWithSnapshots();

      const fold = await stream.load(caseId);
      await stream.snapshotsWritten();

      expect(fold).toEqual(await fullRead());
      expect(reads).toEqual([{}]);
      expect(await snapshotStore.readSnapshot(caseStreamId(caseId))).toMatchObject({
        version: CASE_FOLD_VERSION,
        revision: BigInt(EVERY + 2),
      });
    });

    it('ignores a snapshot it cannot read, says so in the log, and replaces it', async () => {
      await givenCaseOf(EVERY + 3);
      await snapshotStore.writeSnapshot(caseStreamId(caseId), {
        revision: BigInt(EVERY + 2),
        version: CASE_FOLD_VERSION + 7,
        data: 'x',
      });
      await snapshotStore.writeSnapshot(caseStreamId(caseId), {
        revision: BigInt(EVERY + 2),
        version: CASE_FOLD_VERSION,
        data: '{"caseId": "not this one"',
      });
      const stream = streamWithSnapshots();

      const fold = await stream.load(caseId);
      await stream.snapshotsWritten();

      expect(fold).toEqual(await fullRead());
      expect(reads).toEqual([{}]);
      expect(warnings).toEqual([expect.stringMatching(/snapshot of case .* is unreadable/)]);
      const replaced = await snapshotStore.readSnapshot(caseStreamId(caseId));
      expect(await jsonCaseSnapshotCodec.decode(replaced!.data, caseId)).toEqual(fold);
    });

    it('ignores a snapshot beyond the end of the stream (a case deleted and written again), and drops it', async () => {
      const long = await givenCaseOf(EVERY + 5, new CaseEventStream(new InMemoryEventStore()));
      await appendRaw(store, caseId, 0, 3);
      await givenSnapshot(long);
      const stream = streamWithSnapshots();

      const fold = await stream.load(caseId);
      await stream.snapshotsWritten();

      expect(fold).toEqual(await fullRead());
      expect(fold.revision).toBe(3);
      expect(await snapshotRevision()).toBeUndefined();
    });

    it('ignores a snapshot whose last event is not the one the store holds', async () => {
      await givenCaseOf(EVERY + 3);
      const fold = await fullRead({ upTo: EVERY });
      await givenSnapshot({ ...fold, position: fold.position! + 1_000_000n });

      const loaded = await streamWithSnapshots().load(caseId);

      expect(loaded).toEqual(await fullRead());
      expect(reads).toEqual([{ fromRevision: BigInt(EVERY - 1) }, {}]);
    });

    it('reads in full when the snapshot store fails, and logs it', async () => {
      await givenCaseOf(EVERY + 3);
      const failing = new Proxy(snapshotStore, {
        get: (target, property) =>
          property === 'readSnapshot' || property === 'writeSnapshot'
            ? () => Promise.reject(new Error('disk on fire'))
            : (Reflect.get(target, property) as unknown),
      });
      const stream = new CaseEventStream(
        store,
        undefined,
        new CaseSnapshots(failing, {
          every: EVERY,
          logger: { warn: (m: string) => warnings.push(m) },
        }),
      );

      const fold = await stream.load(caseId);
      await stream.snapshotsWritten();

      expect(fold).toEqual(await fullRead());
      expect(warnings).toEqual([
        expect.stringContaining('could not be read: disk on fire'),
        expect.stringContaining('was not written: disk on fire'),
      ]);
    });

    it('does not use snapshots without them configured (the audit tool, verify)', async () => {
      await givenCaseOf(EVERY + 3);

      await new CaseEventStream(readsRecorded(store, reads)).load(caseId);

      expect(await snapshotRevision()).toBe(BigInt(EVERY - 1));
      expect(reads).toEqual([{}]);
    });
  });
});

describe('CASE_SNAPSHOT_EVERY', () => {
  const env = { JWT_SECRET: 'a-secret-long-enough-for-hs256-0123456789' };

  it('defaults to a snapshot every 500 events and takes 0 to turn snapshots off', () => {
    expect(loadConfig(env).caseSnapshotEvery).toBe(500);
    expect(loadConfig({ ...env, CASE_SNAPSHOT_EVERY: '0' }).caseSnapshotEvery).toBe(0);
    expect(loadConfig({ ...env, CASE_SNAPSHOT_EVERY: '50' }).caseSnapshotEvery).toBe(50);
  });

  it.each(['lots', '-1', '1.5', '1000001'])('refuses %p, naming the variable', (value) => {
    expect(() => loadConfig({ ...env, CASE_SNAPSHOT_EVERY: value })).toThrow(
      /CASE_SNAPSHOT_EVERY must be a whole number from 0 to 1000000/,
    );
  });
});
