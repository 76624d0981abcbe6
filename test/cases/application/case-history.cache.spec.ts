import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseHistoryCache } from '../../../src/cases/application/case-history.cache';
import { caseStreamId, loadCaseHistory } from '../../../src/cases/application/case-stream';
import { CASE_EVENT_SCHEMA_VERSION, type CaseEvent } from '../../../src/cases/domain/case.events';
import type { CaseHistoryEntry } from '../../../src/cases/domain/case.history';
import { loadConfig } from '../../../src/config/app.config';
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

describe('loading a case history through the cache', () => {
  let dir: string;
  let store: SqliteEventStore;
  let reads: (ReadStreamOptions | undefined)[];
  let spied: EventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'case-history-cache-'));
    store = await openSqliteEventStore({ dataDir: dir });
    reads = [];
    spied = readsRecorded(store, reads);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads only the events after the cached ones, and answers as a read without the cache', async () => {
    const cache = new CaseHistoryCache(1000);
    await append(store, CASE_A, 0, 3);
    await loadCaseHistory(spied, CASE_A, cache);
    await append(store, CASE_A, 3, 2);

    const history = await loadCaseHistory(spied, CASE_A, cache);

    expect(reads).toEqual([undefined, { fromRevision: 3n }]);
    expect(history).toEqual(await loadCaseHistory(store, CASE_A));
    expect(history.map((entry) => entry.revision)).toEqual([1, 2, 3, 4, 5]);
    expect(cache.events).toBe(5);
  });

  it('gives every caller an array of its own', async () => {
    const cache = new CaseHistoryCache(1000);
    await append(store, CASE_A, 0, 2);
    const first = await loadCaseHistory(store, CASE_A, cache);
    first.pop();

    expect(await loadCaseHistory(store, CASE_A, cache)).toHaveLength(2);
  });

  it('drops the entry and reads everything when the tail does not continue the cached revisions', async () => {
    const cache = new CaseHistoryCache(1000);
    await append(store, CASE_A, 0, 4);
    cache.set(CASE_A, (await loadCaseHistory(store, CASE_A)).slice(0, 2));
    const ignoringFrom = readsRecorded(store, reads, { ignoreFromRevision: true });

    const history = await loadCaseHistory(ignoringFrom, CASE_A, cache);

    expect(reads).toEqual([{ fromRevision: 2n }, undefined]);
    expect(history.map((entry) => entry.revision)).toEqual([1, 2, 3, 4]);
    expect(cache.get(CASE_A)).toEqual(history);
  });

  it('keeps nothing when disabled, so every load reads the whole stream', async () => {
    const cache = new CaseHistoryCache(0);
    await append(store, CASE_A, 0, 2);

    await loadCaseHistory(spied, CASE_A, cache);
    const history = await loadCaseHistory(spied, CASE_A, cache);

    expect(reads).toEqual([undefined, undefined]);
    expect(history).toHaveLength(2);
    expect(cache.events).toBe(0);
  });

  it('does not keep a case that does not exist', async () => {
    const cache = new CaseHistoryCache(1000);

    expect(await loadCaseHistory(store, CASE_A, cache)).toEqual([]);
    expect(cache.get(CASE_A)).toBeUndefined();
  });
});

describe('the cache bound', () => {
  it('evicts the least recently used histories until the events fit', () => {
    const cache = new CaseHistoryCache(10);
    cache.set('A', history(4));
    cache.set('B', history(4));
    cache.get('A');

    cache.set('C', history(4));

    expect(cache.get('B')).toBeUndefined();
    expect(cache.get('A')).toHaveLength(4);
    expect(cache.get('C')).toHaveLength(4);
    expect(cache.events).toBe(8);
  });

  it('does not keep a history longer than the whole bound, nor an older shorter version', () => {
    const cache = new CaseHistoryCache(5);
    cache.set('A', history(3));

    cache.set('A', history(2));
    expect(cache.get('A')).toHaveLength(3);

    cache.set('A', history(6));
    expect(cache.get('A')).toBeUndefined();
    expect(cache.events).toBe(0);
  });
});

describe('CASE_CACHE_EVENTS', () => {
  const env = { JWT_SECRET: 'a-secret-long-enough-for-hs256-0123456789' };

  it('defaults to a bound and takes 0 to disable the cache', () => {
    expect(loadConfig(env).caseCacheEvents).toBeGreaterThan(0);
    expect(loadConfig({ ...env, CASE_CACHE_EVENTS: '0' }).caseCacheEvents).toBe(0);
  });

  it('refuses a value that is not a whole number', () => {
    expect(() => loadConfig({ ...env, CASE_CACHE_EVENTS: 'lots' })).toThrow(/CASE_CACHE_EVENTS/);
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

async function append(store: EventStore, caseId: string, from: number, count: number) {
  const events = Array.from({ length: count }, (_, i) => event(caseId, from + i));
  await store.appendToStream(
    caseStreamId(caseId),
    events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata: metadata() })),
    { expectedRevision: from === 0 ? 'no_stream' : BigInt(from - 1) },
  );
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

function metadata() {
  return {
    schemaVersion: CASE_EVENT_SCHEMA_VERSION,
    occurredAt: '2026-11-24T10:00:00.000Z',
    actor: { ...DEV_PRINCIPALS.operations },
    correlationId: 'corr-cache-1',
    causationId: randomUUID(),
  };
}

function history(length: number): CaseHistoryEntry[] {
  return Array.from({ length }, (_, i) => ({
    eventId: randomUUID(),
    revision: i + 1,
    event: { type: 'CaseAwaitingChanged', data: { awaiting: true } },
    metadata: metadata(),
  }));
}
