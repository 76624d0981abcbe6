import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ReadModelsDatabase } from '../../../src/cases/projections/read-models.database';
import { READ_MODELS_SCHEMA_VERSION } from '../../../src/cases/projections/read-models.schema';

describe('the read models file across a change of its tables', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'read-models-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its rows and checkpoint when reopened at the same version', () => {
    const file = join(dir, 'read-models.db');
    const first = ReadModelsDatabase.open(file);
    first.setCheckpoint(first.activeGeneration(), 42n);
    first.close();
    const again = ReadModelsDatabase.open(file);
    expect(again.checkpoint()).toBe(42n);
    again.close();
  });

  it('empties a file of an older version, so the runner refills it from the events', () => {
    const file = join(dir, 'read-models.db');
    const old = ReadModelsDatabase.open(file);
    old.setCheckpoint(old.activeGeneration(), 42n);
    old.close();
    const raw = new Database(file);
    raw.pragma('user_version = 1');
    raw.exec('ALTER TABLE case_list_1 DROP COLUMN queue_name');
    raw.close();

    const reopened = ReadModelsDatabase.open(file);
    expect(reopened.checkpoint()).toBeUndefined();
    expect(reopened.db.pragma('user_version', { simple: true })).toBe(READ_MODELS_SCHEMA_VERSION);
    const columns = reopened.db
      .prepare(`SELECT name FROM pragma_table_info('case_list_${reopened.activeGeneration()}')`)
      .pluck()
      .all();
    expect(columns).toEqual(expect.arrayContaining(['queue_name', 'assignee_name']));
    reopened.close();
  });
});
