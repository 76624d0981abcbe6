import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseStreamId } from '../../../src/cases/application/case-event.codec';
import { CaseEventStream } from '../../../src/cases/application/case-event-stream';
import { CaseFoldCache } from '../../../src/cases/application/case-fold.cache';
import { caseViewFor, emptyCaseFold } from '../../../src/cases/application/case.fold';
import { CASE_EVENT_SCHEMA_VERSION, type CaseEvent } from '../../../src/cases/domain/case.events';
import type { CaseHistoryEntry } from '../../../src/cases/domain/case.history';
import { loadConfig } from '../../../src/config/app.config';
import { WrongExpectedRevision } from '../../../src/event-store/event-store.errors';
import type {
  EventStore,
  ReadStreamOptions,
  RecordedEvent,
} from '../../../src/event-store/event-store.port';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../../src/event-store/sqlite/sqlite.event-store';
import { DEV_PRINCIPALS } from '../../../src/identity/dev-tokens';

describe('the case event stream', () => {
  let dir: string;
  let store: SqliteEventStore;
  let reads: (ReadStreamOptions | undefined)[];
  let spied: EventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'case-event-stream-'));
    store = await openSqliteEventStore({ dataDir: dir });
    reads = [];
    spied = readsRecorded(store, reads);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('loading a case', () => {
    it('folds every event into the state, the revision and the last position', async () => {
      const position = await appendRaw(store, CASE_A, 0, 3);

      const fold = await new CaseEventStream(store).load(CASE_A);

      expect(fold.revision).toBe(3);
      expect(fold.position).toBe(position);
      expect(fold.state).toMatchObject({ status: 'Processing', awaiting: false });
    });

    it('stops at `upTo`, and its revision says how far the case went', async () => {
      await appendRaw(store, CASE_A, 0, 3);
      const stream = new CaseEventStream(store);

      expect((await stream.load(CASE_A, { upTo: 2 })).revision).toBe(2);
      expect((await stream.load(CASE_A, { upTo: 9 })).revision).toBe(3);
    });

    it('answers revision 0 for a case that does not exist, and does not cache it', async () => {
      const cache = new CaseFoldCache(10);

      expect((await new CaseEventStream(store, cache).load(CASE_A)).revision).toBe(0);
      expect(cache.get(CASE_A)).toBeUndefined();
    });

    it('reads only the events after the cached fold, and answers as a read without the cache', async () => {
      const stream = new CaseEventStream(spied, new CaseFoldCache(10));
      await appendRaw(store, CASE_A, 0, 3);
      await stream.load(CASE_A);
      await appendRaw(store, CASE_A, 3, 2);

      const fold = await stream.load(CASE_A);

      expect(reads).toEqual([{}, { fromRevision: 3n }]);
      expect(fold).toEqual(await new CaseEventStream(store).load(CASE_A));
    });

    it('is never staler than the store: a second writer behind its back is read as the tail', async () => {
      const stream = new CaseEventStream(store, new CaseFoldCache(10));
      await appendRaw(store, CASE_A, 0, 1);
      await stream.load(CASE_A);

      await appendRaw(store, CASE_A, 1, 1); // another instance, or another process

      const after = await stream.load(CASE_A);
      expect(after.revision).toBe(2);
      expect(after.state).toMatchObject({ awaiting: true });
    });

    it('drops the cached fold and reads everything when the tail does not continue it', async () => {
      await appendRaw(store, CASE_A, 0, 4);
      const cache = new CaseFoldCache(10);
      cache.set(await new CaseEventStream(store).load(CASE_A, { upTo: 2 }));
      const ignoringFrom = readsRecorded(store, reads, { ignoreFromRevision: true });

      const fold = await new CaseEventStream(ignoringFrom, cache).load(CASE_A);

      expect(reads).toEqual([{ fromRevision: 2n }, {}]);
      expect(fold.revision).toBe(4);
    });

    it('keeps nothing with a cache of 0, so every load reads the whole stream', async () => {
      const stream = new CaseEventStream(spied, new CaseFoldCache(0));
      await appendRaw(store, CASE_A, 0, 2);

      await stream.load(CASE_A);
      await stream.load(CASE_A);

      expect(reads).toEqual([{}, {}]);
    });

    it('keeps each audience its own audit object', async () => {
      await appendRaw(store, CASE_A, 0, 2);

      const fold = await new CaseEventStream(store).load(CASE_A);

      expect(caseViewFor(fold, 'operations')?.audit.awaitingChanged).toBeDefined();
      expect(caseViewFor(fold, 'account')?.audit.awaitingChanged).toBeUndefined();
    });

    it('indexes the idempotency keys of the caller who used them', async () => {
      const stream = new CaseEventStream(store);
      await stream.append(emptyCaseFold(CASE_A), [entry(CASE_A, 0, 'key-1')]);

      const fold = await stream.load(CASE_A);

      expect([...fold.requests.entries()]).toEqual([
        [`${DEV_PRINCIPALS.operations.id}\nkey-1`, { requestHash: 'hash', lastRevision: 1 }],
      ]);
    });
  });

  describe('appending', () => {
    it('appends after the fold with its revision and returns the fold with the new events', async () => {
      const stream = new CaseEventStream(store, new CaseFoldCache(10));
      await appendRaw(store, CASE_A, 0, 1);
      const fold = await stream.load(CASE_A);

      const next = await stream.append(fold, [entry(CASE_A, 1)]);

      expect(next.revision).toBe(2);
      expect(next).toEqual(await new CaseEventStream(store).load(CASE_A));
    });

    it('refuses a fold another writer has moved past, and forgets its cached fold', async () => {
      const cache = new CaseFoldCache(10);
      const stream = new CaseEventStream(store, cache);
      await appendRaw(store, CASE_A, 0, 1);
      const stale = await stream.load(CASE_A);
      await appendRaw(store, CASE_A, 1, 1);

      await expect(stream.append(stale, [entry(CASE_A, 1)])).rejects.toBeInstanceOf(
        WrongExpectedRevision,
      );
      expect(cache.get(CASE_A)).toBeUndefined();
      expect(await countEvents(store, CASE_A)).toBe(2);
    });

    it('creates with "no stream", so a second create of the same case is refused', async () => {
      const stream = new CaseEventStream(store);
      const empty = await stream.load(CASE_A);
      await stream.append(empty, [entry(CASE_A, 0)]);

      await expect(stream.append(empty, [entry(CASE_A, 0)])).rejects.toBeInstanceOf(
        WrongExpectedRevision,
      );
      expect(await countEvents(store, CASE_A)).toBe(1);
    });
  });
});

describe('the case fold cache bound', () => {
  it('evicts the least recently used case once it holds more than its bound', () => {
    const cache = new CaseFoldCache(2);
    const [a, b, c] = ['A', 'B', 'C'].map((id) => ({ ...emptyCaseFold(id), revision: 1 }));
    cache.set(a!);
    cache.set(b!);
    cache.get('A');

    cache.set(c!);

    expect(cache.get('B')).toBeUndefined();
    expect(cache.get('A')).toBe(a);
    expect(cache.get('C')).toBe(c);
  });

  it('keeps the later fold of a case when an earlier one arrives after it', () => {
    const cache = new CaseFoldCache(2);
    const later = { ...emptyCaseFold('A'), revision: 3 };
    cache.set(later);

    cache.set({ ...emptyCaseFold('A'), revision: 2 });

    expect(cache.get('A')).toBe(later);
  });
});

describe('CASE_CACHE_CASES', () => {
  const env = { JWT_SECRET: 'a-secret-long-enough-for-hs256-0123456789' };

  it('defaults to a bound and takes 0 to disable the cache', () => {
    expect(loadConfig(env).caseCacheCases).toBeGreaterThan(0);
    expect(loadConfig({ ...env, CASE_CACHE_CASES: '0' }).caseCacheCases).toBe(0);
  });

  it('refuses a value that is not a whole number', () => {
    expect(() => loadConfig({ ...env, CASE_CACHE_CASES: 'lots' })).toThrow(/CASE_CACHE_CASES/);
  });
});

const CASE_A = 'CAS-1000-0000-0001';

/** The store, with each readStream's options recorded; optionally an adapter that ignores `fromRevision`. */
function readsRecorded(
  store: EventStore,
  reads: (ReadStreamOptions | undefined)[],
  { ignoreFromRevision = false } = {},
): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'readStream') return Reflect.get(target, property, receiver) as unknown;
      return (streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> => {
        reads.push(options);
        return target.readStream(streamId, ignoreFromRevision ? undefined : options);
      };
    },
  });
}

/** Another writer: straight to the store, past the stream and its cache. */
async function appendRaw(store: EventStore, caseId: string, from: number, count: number) {
  const entries = Array.from({ length: count }, (_, i) => entry(caseId, from + i));
  const { position } = await store.appendToStream(
    caseStreamId(caseId),
    entries.map((e) => ({
      id: e.eventId,
      type: e.event.type,
      data: e.event.data,
      metadata: e.metadata,
    })),
    { expectedRevision: from === 0 ? 'no_stream' : BigInt(from - 1) },
  );
  return position;
}

async function countEvents(store: EventStore, caseId: string): Promise<number> {
  let count = 0;
  for await (const _ of store.readStream(caseStreamId(caseId))) count += 1;
  return count;
}

function entry(caseId: string, revision: number, idempotencyKey?: string): CaseHistoryEntry {
  return {
    eventId: randomUUID(),
    revision: revision + 1,
    event: event(caseId, revision),
    metadata: {
      schemaVersion: CASE_EVENT_SCHEMA_VERSION,
      occurredAt: '2026-11-24T10:00:00.000Z',
      actor: { ...DEV_PRINCIPALS.operations },
      $correlationId: 'corr-stream-1',
      $causationId: randomUUID(),
      ...(idempotencyKey ? { idempotencyKey, requestHash: 'hash' } : {}),
    },
  };
}

function event(caseId: string, revision: number): CaseEvent {
  return revision === 0
    ? {
        type: 'CaseCreated',
        data: {
          caseId,
          chat: { id: 'CHT-0000-0000-0001', type: 'case' },
          queue: { id: 'HQU-1234-1234' },
          account: { id: 'ACC-6685-9632', name: 'Stark Industries' },
          reporter: { id: 'USR-6375-2500', name: 'Jane Doe' },
          assignee: null,
          parameters: [],
        },
      }
    : { type: 'CaseAwaitingChanged', data: { awaiting: revision % 2 === 1 } };
}
