import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseStreamId, UnreadableCaseEvent } from '../../src/cases/application/case-event.codec';
import { CaseEventPrivacy } from '../../src/cases/application/case-event.privacy';
import { CaseEventStream } from '../../src/cases/application/case-event-stream';
import { emptyCaseFold } from '../../src/cases/application/case.fold';
import type { CaseHistoryEntry } from '../../src/cases/domain/case.history';
import { InMemoryEventStore } from '../../src/event-store/memory/in-memory.event-store';
import type { PersonalDataKeyStore } from '../../src/personal-data/key-store.port';
import { PersonalDataVault } from '../../src/personal-data/personal-data.vault';
import { openKeyStore } from '../../src/personal-data/sqlite.key-store';
import { entry } from '../cases/application/case-stream.fixtures';
import { collect } from '../event-store/contract/contract.fixtures';

const PEOPLE = 5;
const caseOf = (n: number) => `CAS-1000-0000-000${n}`;
const reporterOf = (n: number) => ({ id: `USR-2000-000${n}`, name: `Person ${n}` });
const assigneeOf = (n: number) => ({ id: `USR-3000-000${n}`, firstName: `Agent ${n}` });

/**
 * The bulk reads (a rebuild's `readAll`, a case's `events`) meet many people's keys, most of them
 * not in the cache: they open their events a batch at a time, with one key lookup per batch.
 */
describe('bulk reads of sealed case events', () => {
  let dir: string;
  let store: InMemoryEventStore;
  let keyStore: PersonalDataKeyStore;
  let vault: PersonalDataVault;
  const master = randomBytes(32);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pii-bulk-'));
    store = new InMemoryEventStore();
    const writer = await PersonalDataVault.open(openKeyStore(dir), master);
    const written = new CaseEventStream(store, undefined, undefined, new CaseEventPrivacy(writer));
    for (let n = 1; n <= PEOPLE; n++) {
      const fold = await written.append(emptyCaseFold(caseOf(n)), [createdBy(n)]);
      await written.append(fold, [assigned(n)]);
    }
    await writer.close();
    // A reader that has met nobody yet, as a rebuild or the audit tool starts.
    keyStore = openKeyStore(dir);
    vault = await PersonalDataVault.open(keyStore, master);
  });
  afterEach(async () => {
    await vault.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const reader = () =>
    new CaseEventStream(store, undefined, undefined, new CaseEventPrivacy(vault));

  it('reads every case event in clear with one key lookup for the batch', async () => {
    const lookups = jest.spyOn(keyStore, 'lookup');

    const records = await collect(reader().readAll());

    expect(records.map((r) => r.event.type)).toEqual(
      Array.from({ length: PEOPLE }, () => ['CaseCreated', 'CaseAssigned']).flat(),
    );
    const reporters = records.flatMap((r) => (r.event.type === 'CaseCreated' ? [r.event] : []));
    expect(reporters.map((e) => e.data.reporter)).toEqual(
      Array.from({ length: PEOPLE }, (_, i) => reporterOf(i + 1)),
    );
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it("reads one case's events in clear with one key lookup for the batch", async () => {
    const lookups = jest.spyOn(keyStore, 'lookup');

    const records = await collect(reader().events(caseOf(3)));

    expect(records.map((r) => r.revision)).toEqual([1, 2]);
    expect(records[0]!.event.data).toMatchObject({ reporter: reporterOf(3) });
    expect(records[1]!.event.data).toMatchObject({ assignee: assigneeOf(3) });
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it('hands out the events before an unreadable one, then stops on it', async () => {
    await store.appendToStream(
      caseStreamId(caseOf(3)),
      [{ id: randomUUID(), type: 'CaseTeleported', data: {}, metadata: {} }],
      { expectedRevision: 1n },
    );
    const events = reader().events(caseOf(3));

    expect((await events.next()).value).toMatchObject({ revision: 1 });
    expect((await events.next()).value).toMatchObject({ revision: 2 });
    await expect(events.next()).rejects.toBeInstanceOf(UnreadableCaseEvent);
  });

  it("reports the store's failure, not the key store's, when both fail during a read", async () => {
    const storeDown = new Error('event store down');
    const readStream = store.readStream.bind(store);
    // The case's two sealed events come out, then the store fails: they wait in the batch.
    jest.spyOn(store, 'readStream').mockImplementation(async function* (...args) {
      yield* readStream(...args);
      throw storeDown;
    });
    jest.spyOn(keyStore, 'lookup').mockImplementation(() => {
      throw new Error('key store down');
    });

    await expect(collect(reader().events(caseOf(3)))).rejects.toBe(storeDown);
  });
});

function createdBy(n: number): CaseHistoryEntry {
  const created = entry(caseOf(n), 0);
  const data = { ...created.event.data, reporter: reporterOf(n) };
  return { ...created, event: { ...created.event, data } } as CaseHistoryEntry;
}

function assigned(n: number): CaseHistoryEntry {
  return {
    ...entry(caseOf(n), 1),
    event: { type: 'CaseAssigned', data: { assignee: assigneeOf(n), previousAssignee: null } },
  };
}
