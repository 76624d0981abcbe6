import { CaseEventStream } from '../../../src/cases/application/case-event-stream';
import { CaseReadModelReader } from '../../../src/cases/projections/case-read-model.reader';
import { ProjectionRunner } from '../../../src/cases/projections/projection.runner';
import { rebuildProjections } from '../../../src/cases/projections/projection.rebuild';
import {
  openReadModels,
  type ReadModelsDatabase,
} from '../../../src/cases/projections/read-models.database';
import { compileCaseListQuery } from '../../../src/cases/rql/case-list.query';
import {
  append,
  assigned,
  awaitingSet,
  caseCreated,
  openStoreFixture,
  queried,
  rowsOf,
  type StoreFixture,
} from './projection.fixtures';

const quietLogger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
const caseIds = Array.from({ length: 5 }, (_, i) => `CAS-2000-0000-000${i}`);
const everyCase = () => compileCaseListQuery('limit=1000', { audience: 'operations' });

describe('rebuilding the read models from zero', () => {
  let fixture: StoreFixture;
  let readModels: ReadModelsDatabase;
  let runner: ProjectionRunner;
  let last: bigint;

  beforeEach(async () => {
    fixture = await openStoreFixture();
    readModels = openReadModels(fixture.dataDir);
    runner = new ProjectionRunner(new CaseEventStream(fixture.store), readModels, {
      logger: quietLogger,
    });
    for (const [n, caseId] of caseIds.entries()) {
      await append(fixture.store, caseId, [caseCreated(caseId, n), assigned('USR-1')]);
      last = await append(fixture.store, caseId, [awaitingSet(true), queried, assigned('USR-2')]);
    }
    runner.start();
    await runner.waitForCheckpoint(last);
  });
  afterEach(async () => {
    await runner.stop();
    readModels.close();
    await fixture.close();
  });

  it('gives the same rows, and serves the old generation whole until it switches', async () => {
    const before = rowsOf(readModels);
    const reader = new CaseReadModelReader(readModels);
    const totalsDuringRebuild: number[] = [];

    const result = await rebuildProjections(new CaseEventStream(fixture.store), readModels, {
      batchSize: 3,
      onProgress: () => totalsDuringRebuild.push(reader.list(everyCase()).$meta.pagination.total),
    });

    expect(totalsDuringRebuild.length).toBeGreaterThan(3);
    expect(new Set(totalsDuringRebuild)).toEqual(new Set([caseIds.length]));
    expect(result).toEqual({ generation: 2, events: caseIds.length * 5, checkpoint: last });
    expect(readModels.activeGeneration()).toBe(2);
    expect(rowsOf(readModels)).toEqual(before);
    expect(tableNames(readModels)).toEqual([
      'case_list_2',
      'chat_participants_2',
      'erasure_checkpoint',
      'projection_checkpoint',
      'projection_generation',
    ]);
  });

  it('lets the live runner carry on in the new generation from its checkpoint', async () => {
    await rebuildProjections(new CaseEventStream(fixture.store), readModels);
    const next = await append(fixture.store, caseIds[0]!, [assigned('USR-3')]);
    await runner.waitForCheckpoint(next);

    expect(runner.failure).toBeUndefined();
    const row = rowsOf(readModels).cases.find((r) => (r as { id: string }).id === caseIds[0]);
    expect(row).toMatchObject({ revision: 6, assignee_id: 'USR-3' });
    expect(rowsOf(readModels).participants).toHaveLength(caseIds.length * 3 + 1);
  });

  it('leaves the active generation untouched when an event cannot be applied', async () => {
    await runner.stop();
    const before = rowsOf(readModels);
    await append(fixture.store, 'CAS-2000-0000-9999', [{ type: 'CaseExploded', data: {} }]);

    await expect(
      rebuildProjections(new CaseEventStream(fixture.store), readModels),
    ).rejects.toThrow(/CaseExploded/);

    expect(readModels.activeGeneration()).toBe(1);
    expect(readModels.checkpoint()).toBe(last);
    expect(rowsOf(readModels)).toEqual(before);
    expect(tableNames(readModels)).toEqual([
      'case_list_1',
      'chat_participants_1',
      'erasure_checkpoint',
      'projection_checkpoint',
      'projection_generation',
    ]);
  });
});

function tableNames(readModels: ReadModelsDatabase): unknown[] {
  return readModels.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all();
}
