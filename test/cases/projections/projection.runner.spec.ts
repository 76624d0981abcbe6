import { CaseEventStream } from '../../../src/cases/application/case-event-stream';
import { randomUUID } from 'node:crypto';
import { ProjectionRunner } from '../../../src/cases/projections/projection.runner';
import {
  openReadModels,
  type ReadModelsDatabase,
} from '../../../src/cases/projections/read-models.database';
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

  it('applies every case event once, across a stop midway and a restart from the checkpoint', async () => {
    let midway = 0n;
    for (const [n, caseId] of caseIds.entries()) {
      await append(fixture.store, caseId, [caseCreated(caseId, n)]);
      midway = await append(fixture.store, caseId, [assigned('USR-1'), awaitingSet(true)]);
    }
    start({ maxBatch: 4 });
    await runner.waitForCheckpoint(midway);
    await runner.stop();
    expect(readModels.checkpoint()).toBe(midway);
    expect(rowsOf(readModels).cases).toHaveLength(caseIds.length);

    let last = 0n;
    for (const caseId of caseIds) {
      last = await append(fixture.store, caseId, [queried, resumed, assigned('USR-2')]);
    }
    await fixture.store.appendToStream(
      'billing-1',
      [{ id: randomUUID(), type: 'InvoiceSent', data: {}, metadata: {} }],
      { expectedRevision: 'no_stream' },
    );
    // A new process, and by mistake a second runner beside it on the same file: each batch
    // re-reads the checkpoint in its transaction, so neither applies an event the other did.
    readModels.close();
    readModels = openReadModels(fixture.dataDir);
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

    expect(readModels.checkpoint()).toBe(last);
    expect(quietLogger.error).not.toHaveBeenCalled();
    const { cases, participants } = rowsOf(readModels);
    expect(cases).toHaveLength(caseIds.length);
    expect(participants).toHaveLength(caseIds.length * 3);
    for (const caseId of caseIds) {
      const row = (cases as Record<string, unknown>[]).find((r) => r.id === caseId)!;
      const expected = await replayed(fixture.store, caseId);
      expect(row.revision).toBe(6);
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
