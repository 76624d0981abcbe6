import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import {
  META_DDL,
  READ_MODELS_FILE_NAME,
  READ_MODELS_SCHEMA_VERSION,
  dropGenerationDdl,
  generationDdl,
} from './read-models.schema';

/** How long a connection waits for another's lock, e.g. a rebuild run from the command line. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The read models' own SQLite file, apart from the event store's (and kept on either store: on
 * EventStoreDB every service instance keeps its own). Read models can be rebuilt from the
 * events at any time, so `synchronous = NORMAL` is enough: a commit lost to a power cut loses
 * its rows and its checkpoint together, and the runner simply applies those events again.
 */
export class ReadModelsDatabase {
  /**
   * The bookkeeping statements, prepared once per connection: the projection thread reads the
   * generation and the checkpoint and writes the checkpoint on every batch, and preparing them
   * each time was a measurable part of its work in the command mix (BENCHMARKS.md, issue 14).
   */
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(readonly db: Database.Database) {}

  static open(file: string): ReadModelsDatabase {
    mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Rows hold personal data in clear: what an erasure replaces must not linger in free space.
      db.pragma('secure_delete = ON');
      const readModels = new ReadModelsDatabase(db);
      readModels.initialise();
      return readModels;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * A connection that only reads, for the thread that answers lists while the projection thread
   * writes. The file must exist: the writer opened (and migrated) it first.
   */
  static openReader(file: string): ReadModelsDatabase {
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('query_only = ON');
      return new ReadModelsDatabase(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The generation lists are served from and the live runner applies to. */
  activeGeneration(): number {
    const row = this.statement('SELECT active FROM projection_generation').get() as
      { active: number } | undefined;
    if (!row) throw new Error('The read models database has no active generation.');
    return row.active;
  }

  /** The position of the last event applied to `generation`; undefined before the first. */
  checkpoint(generation = this.activeGeneration()): bigint | undefined {
    const row = this.statement(
      'SELECT position FROM projection_checkpoint WHERE generation = ?',
    ).get(generation) as { position: string | null } | undefined;
    if (!row) throw new Error(`Read-model generation ${generation} does not exist.`);
    return row.position === null ? undefined : BigInt(row.position);
  }

  setCheckpoint(generation: number, position: bigint): void {
    this.statement('UPDATE projection_checkpoint SET position = ? WHERE generation = ?').run(
      position.toString(),
      generation,
    );
  }

  /** Position of the last erasure whose cases were re-rendered; undefined before the first. */
  erasureCheckpoint(): bigint | undefined {
    const row = this.statement('SELECT position FROM erasure_checkpoint').get() as
      { position: string } | undefined;
    return row ? BigInt(row.position) : undefined;
  }

  setErasureCheckpoint(position: bigint): void {
    this.statement(
      'INSERT OR REPLACE INTO erasure_checkpoint (singleton, position) VALUES (1, ?)',
    ).run(position.toString());
  }

  /**
   * Moves every committed page from the write-ahead log into the file and empties the log, so
   * the old versions of rewritten rows are gone from disk (with `secure_delete`, freed space is
   * zeroed). False when a reader kept the checkpoint from finishing.
   */
  scrub(): boolean {
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    return result?.busy === 0;
  }

  /**
   * Empty tables for a rebuild. Generations other than the active one are leftovers of a
   * rebuild that did not finish, so they go first.
   */
  createGeneration(): number {
    return this.immediate(() => {
      const active = this.activeGeneration();
      for (const stale of this.generations().filter((g) => g !== active)) {
        this.db.exec(dropGenerationDdl(stale));
      }
      const next = Math.max(active, ...this.generations()) + 1;
      this.db.exec(generationDdl(next));
      return next;
    });
  }

  dropGeneration(generation: number): void {
    this.immediate(() => {
      if (generation === this.activeGeneration()) {
        throw new Error(`Generation ${generation} is active and cannot be dropped.`);
      }
      this.db.exec(dropGenerationDdl(generation));
    });
  }

  /** One transaction: readers see either the old generation whole or the new one whole. */
  switchTo(generation: number): void {
    this.immediate(() => {
      const previous = this.activeGeneration();
      this.checkpoint(generation);
      this.db.prepare('UPDATE projection_generation SET active = ?').run(generation);
      if (previous !== generation) this.db.exec(dropGenerationDdl(previous));
    });
  }

  /** A write transaction that takes the lock up front, so it never fails halfway on BUSY. */
  immediate<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** A read transaction: every statement in `work` sees the same snapshot. */
  snapshot<T>(work: () => T): T {
    return this.db.transaction(work).deferred();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private generations(): number[] {
    const rows = this.db.prepare('SELECT generation FROM projection_checkpoint').all() as {
      generation: number;
    }[];
    return rows.map((row) => row.generation);
  }

  private initialise(): void {
    this.immediate(() => {
      this.db.exec(META_DDL);
      if (this.db.pragma('user_version', { simple: true }) !== READ_MODELS_SCHEMA_VERSION) {
        for (const generation of this.generations()) this.db.exec(dropGenerationDdl(generation));
        this.db.exec('DELETE FROM projection_generation');
        this.db.pragma(`user_version = ${READ_MODELS_SCHEMA_VERSION}`);
      }
      const exists = this.db.prepare('SELECT 1 FROM projection_generation').get();
      if (exists) return;
      this.db.exec(generationDdl(1));
      this.db.prepare('INSERT INTO projection_generation (singleton, active) VALUES (1, 1)').run();
    });
  }
}

/** The read models of a service whose `DATA_DIR` is `dataDir`, e.g. for the command line. */
export function openReadModels(dataDir: string): ReadModelsDatabase {
  return ReadModelsDatabase.open(join(dataDir, READ_MODELS_FILE_NAME));
}

/** The same file, read-only: see {@link ReadModelsDatabase.openReader}. */
export function openReadModelsReader(dataDir: string): ReadModelsDatabase {
  return ReadModelsDatabase.openReader(join(dataDir, READ_MODELS_FILE_NAME));
}
