import { randomUUID } from 'node:crypto';
import { CaseEventStream } from '../../../src/cases/application/case-event-stream';
import { ProjectionRunner } from '../../../src/cases/projections/projection.runner';
import {
  openReadModels,
  type ReadModelsDatabase,
} from '../../../src/cases/projections/read-models.database';
import type { EventStore } from '../../../src/event-store/event-store.port';
import {
  append,
  assigned,
  awaitingSet,
  caseCreated,
  openStoreFixture,
  queried,
  replayed,
  resumed,
  rowsOf,
  type StoreFixture,
} from './projection.fixtures';

const quietLogger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
const caseIds = Array.from({ length: 6 }, (_, i) => `CAS-1000-0000-000${i}`);

describe('the projection runner', () => {
  let fixture: StoreFixture;
  let readModels: ReadModelsDatabase;
  let runner: ProjectionRunner;
  const start = (options = {}) => {
    runner = new ProjectionRunner(new CaseEventStream(fixture.store), readModels, {
      logger: quietLogger,
      ...options,
    });
    runner.start();
    return runner;
  };

  beforeEach(async () => {
    fixture = await openStoreFixture();
    readModels = openReadModels(fixture.dataDir);
    quietLogger.error.mockClear();
  });
  afterEach(async () => {
    await runner?.stop();
    readModels.close();
    await fixture.close();
  });

  it('commits what it applied before a stop, and its checkpoint with it', async () => {
    const opened = await openEveryCase(fixture.store);
    start({ maxBatch: 4 });
    await runner.waitForCheckpoint(opened);
    await runner.stop();

    expect(readModels.checkpoint()).toBe(opened);
    const { cases } = rowsOf(readModels);
    expect(cases).toHaveLength(caseIds.length);
    expect(cases).toEqual(caseIds.map((id) => expect.objectContaining({ id, revision: 3 })));
  });

  it('resumes in a new process from its checkpoint, applying each later event once', async () => {
    start({ maxBatch: 4 });
    await runner.waitForCheckpoint(await openEveryCase(fixture.store));
    await runner.stop();
    const last = await carryOnEveryCase(fixture.store);
    readModels.close();
    readModels = openReadModels(fixture.dataDir);

    start({ maxBatch: 4 });
    await runner.waitForCheckpoint(last);

    expect(readModels.checkpoint()).toBe(last);
    const { cases, participants } = rowsOf(readModels);
    expect(cases).toEqual(caseIds.map((id) => expect.objectContaining({ id, revision: 6 })));
    expect(participants).toHaveLength(caseIds.length * 3);
  });

  it('passes over events of streams that are not cases', async () => {
    const created = await append(fixture.store, caseIds[0]!, [caseCreated(caseIds[0]!, 0)]);
    const invoice = await appendInvoice(fixture.store);
    const last = await append(fixture.store, caseIds[0]!, [assigned('USR-1')]);
    expect(invoice).toBeGreaterThan(created);
    expect(last).toBeGreaterThan(invoice);

    start({ maxBatch: 100 });
    await runner.waitForCheckpoint(last);

    expect(quietLogger.error).not.toHaveBeenCalled();
    expect(readModels.checkpoint()).toBe(last);
    expect(rowsOf(readModels).cases).toEqual([
      expect.objectContaining({ id: caseIds[0], revision: 2 }),
    ]);
  });

  it('applies each event once when two runners share the read models by mistake', async () => {
    await openEveryCase(fixture.store);
    const last = await carryOnEveryCase(fixture.store);
    // Each batch re-reads the checkpoint in its transaction, so neither runner applies an
    // event the other did.
    const beside = openReadModels(fixture.dataDir);
    const second = new ProjectionRunner(new CaseEventStream(fixture.store), beside, {
      logger: quietLogger,
      maxBatch: 3,
    });
    second.start();
    start({ maxBatch: 4 });
    await Promise.all([runner.waitForCheckpoint(last), second.waitForCheckpoint(last)]);
    await second.stop();
    beside.close();

    expect(quietLogger.error).not.toHaveBeenCalled();
    expect(readModels.checkpoint()).toBe(last);
    const { cases, participants } = rowsOf(readModels);
    expect(cases).toEqual(caseIds.map((id) => expect.objectContaining({ id, revision: 6 })));
    expect(participants).toHaveLength(caseIds.length * 3);
  });

  it('keeps each case as GET /cases/{id} shows it, to operations and to the client', async () => {
    await openEveryCase(fixture.store);
    const last = await carryOnEveryCase(fixture.store);
    start({ maxBatch: 4 });
    await runner.waitForCheckpoint(last);

    const cases = rowsOf(readModels).cases as Record<string, unknown>[];
    expect(cases.map((row) => row.id)).toEqual(caseIds);
    for (const row of cases) {
      const expected = await replayed(fixture.store, row.id as string);
      expect(JSON.parse(row.operations_view as string)).toEqual(expected.operations);
      expect(JSON.parse(row.reporter_view as string)).toEqual(expected.client);
    }
  });

  it('stops on an event it cannot apply, keeps what came before, and never skips it', async () => {
    const before = await append(fixture.store, caseIds[0]!, [
      caseCreated(caseIds[0]!, 0),
      assigned('USR-1'),
    ]);
    const poison = await append(fixture.store, caseIds[1]!, [{ type: 'CaseExploded', data: {} }]);
    const after = await append(fixture.store, caseIds[2]!, [caseCreated(caseIds[2]!, 2)]);

    start({ maxBatch: 100 });
    await expect(runner.waitForCheckpoint(after)).rejects.toThrow(
      /Event .* at position 3 in case-CAS-1000-0000-0001 has unknown type CaseExploded/,
    );
    expect(poison).toBe(3n);
    expect(runner.failure).toContain('CaseExploded');
    expect(quietLogger.error).toHaveBeenCalledWith(
      expect.stringContaining('Projection cases stopped'),
    );
    expect(readModels.checkpoint()).toBe(before);
    expect(rowsOf(readModels).cases).toEqual([
      expect.objectContaining({ id: caseIds[0], revision: 2 }),
    ]);

    await runner.stop();
    start({ maxBatch: 1 });
    await expect(runner.waitForCheckpoint(after)).rejects.toThrow(/CaseExploded/);
    expect(readModels.checkpoint()).toBe(before);
    expect(rowsOf(readModels).cases).toEqual([
      expect.objectContaining({ id: caseIds[0], revision: 2 }),
    ]);
  });

  it.each([
    [
      'an event of a case never created',
      () => [assigned('USR-1')],
      /has no CaseCreated before this event/,
    ],
    [
      'a creation whose data is not a case',
      () => [{ type: 'CaseCreated', data: {} }],
      /Cannot apply event/,
    ],
  ])('stops on %s', async (_, events, message) => {
    const last = await append(fixture.store, caseIds[0]!, events());
    start();
    await expect(runner.waitForCheckpoint(last)).rejects.toThrow(message);
    expect(readModels.checkpoint()).toBeUndefined();
    expect(rowsOf(readModels).cases).toEqual([]);
  });
});

// Fixtures

/** Opens every case, assigned and awaiting (revision 3 each); returns the last position. */
async function openEveryCase(store: EventStore): Promise<bigint> {
  let last = 0n;
  for (const [n, caseId] of caseIds.entries()) {
    await append(store, caseId, [caseCreated(caseId, n)]);
    last = await append(store, caseId, [assigned('USR-1'), awaitingSet(true)]);
  }
  return last;
}

/** Queries, resumes and reassigns every case (revision 6 each); returns the last position. */
async function carryOnEveryCase(store: EventStore): Promise<bigint> {
  let last = 0n;
  for (const caseId of caseIds) {
    last = await append(store, caseId, [queried, resumed, assigned('USR-2')]);
  }
  return last;
}

/** An event of another service's stream in the same store. */
async function appendInvoice(store: EventStore): Promise<bigint> {
  const { position } = await store.appendToStream(
    'billing-1',
    [{ id: randomUUID(), type: 'InvoiceSent', data: {}, metadata: {} }],
    { expectedRevision: 'no_stream' },
  );
  return position;
}
