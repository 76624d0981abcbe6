import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { StoreUnavailable } from '../event-store.errors';
import { SnapshotStore, type StoredSnapshot } from '../snapshot-store.port';

/**
 * Snapshots of the embedded store, in a file of their own next to `events.db`. Not in the
 * events file: snapshots are disposable (deleting this file only makes the next loads slower),
 * so they need neither the writer thread's fsync per commit nor a migration of the events
 * schema, and the audit tools, backups and exports of `events.db` never see them.
 */
export const SNAPSHOTS_FILE_NAME = 'snapshots.db';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS snapshots (
    stream_id TEXT    PRIMARY KEY,
    revision  INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    data      TEXT    NOT NULL
  ) STRICT;
`;

/**
 * The writes are small and rare (one per `CASE_SNAPSHOT_EVERY` events of a case) and run on
 * the main thread. `synchronous=NORMAL` with WAL commits without an fsync, so a write costs no
 * disk wait; a power cut may lose the last snapshots, never corrupt the file. Waiting for a
 * lock held by another process would stall the event loop, so the wait is short: a write that
 * meets a lock fails, is logged, and the next one tries again.
 */
const BUSY_TIMEOUT_MS = 50;

/** The store's statements, prepared once per connection. */
function prepare(db: Database.Database) {
  return {
    read: db
      .prepare('SELECT revision, version, data FROM snapshots WHERE stream_id = ?')
      .safeIntegers(true),
    write: db.prepare(
      `INSERT INTO snapshots (stream_id, revision, version, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE
         SET revision = excluded.revision, version = excluded.version, data = excluded.data
         WHERE snapshots.version <> excluded.version OR snapshots.revision < excluded.revision`,
    ),
    delete: db.prepare('DELETE FROM snapshots WHERE stream_id = ?'),
  };
}

type Statements = ReturnType<typeof prepare>;

export class SqliteSnapshotStore extends SnapshotStore {
  private db: Database.Database | undefined;
  private statements: Statements | undefined;
  /**
   * The file was not there when first looked for. Only this store creates it (with its first
   * write): the service's writing store is the only one that snapshots its data directory, so
   * until then every read and delete answers at once, without asking the disk.
   */
  private absent = false;
  private closed = false;

  constructor(private readonly file: string) {
    super();
  }

  override async readSnapshot(streamId: string): Promise<StoredSnapshot | undefined> {
    const row = this.connection({ create: false })?.read.get(streamId) as
      { revision: bigint; version: bigint; data: string } | undefined;
    return row && { revision: row.revision, version: Number(row.version), data: row.data };
  }

  override async writeSnapshot(streamId: string, snapshot: StoredSnapshot): Promise<boolean> {
    const { changes } = this.connection().write.run(
      streamId,
      snapshot.revision,
      snapshot.version,
      snapshot.data,
    );
    return changes > 0;
  }

  override async deleteSnapshots(streamId: string): Promise<void> {
    this.connection({ create: false })?.delete.run(streamId);
  }

  close(): void {
    this.closed = true;
    this.db?.close();
    this.db = undefined;
    this.statements = undefined;
  }

  /**
   * Opened on first use, and created by the first write only: a service that never snapshots
   * (short cases, or snapshots turned off) never creates the file. Undefined when there is no
   * file and `create` is false. A file that does not open (damaged) is tried again next time.
   */
  private connection(options: { create: false }): Statements | undefined;
  private connection(options?: { create: true }): Statements;
  private connection({ create = true } = {}): Statements | undefined {
    if (this.closed) throw new StoreUnavailable('The event store is closed.');
    if (!this.statements) {
      if (!create && (this.absent || !existsSync(this.file))) {
        this.absent = true;
        return undefined;
      }
      const db = new Database(this.file);
      try {
        db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.exec(SCHEMA);
        this.statements = prepare(db);
      } catch (error) {
        db.close();
        throw error;
      }
      this.db = db;
      this.absent = false;
    }
    return this.statements;
  }
}
