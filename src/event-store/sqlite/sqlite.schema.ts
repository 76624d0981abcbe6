import Database from 'better-sqlite3';

/**
 * One table holds every event. The rowid is the global position: SQLite hands out max+1 inside
 * the single write transaction, so positions increase in commit order and a reader never sees
 * a later position before an earlier one. The unique (stream_id, revision) index serves stream
 * reads and rejects a second writer racing for the same revision; reads of all events walk the
 * rowid b-tree, which is already in position order.
 */
const SCHEMA_VERSION = 1;

const MIGRATION_1 = `
  CREATE TABLE IF NOT EXISTS events (
    position  INTEGER PRIMARY KEY,
    stream_id TEXT    NOT NULL,
    revision  INTEGER NOT NULL,
    event_id  TEXT    NOT NULL UNIQUE,
    type      TEXT    NOT NULL,
    data      TEXT    NOT NULL,
    metadata  TEXT    NOT NULL,
    created   INTEGER NOT NULL,
    UNIQUE (stream_id, revision)
  ) STRICT;
`;

/** How long a connection waits for another connection's lock (e.g. another process). */
const BUSY_TIMEOUT_MS = 5000;

export const EVENTS_FILE_NAME = 'events.db';

/**
 * The only connection that writes. `synchronous=FULL` makes every commit fsync the WAL, which
 * is what lets an acknowledgement mean "on disk". Automatic checkpoints are off because they
 * would run inside a commit and delay its acknowledgement; the writer checkpoints after it has
 * replied instead.
 */
export function openWriteConnection(file: string): Database.Database {
  const db = new Database(file);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('wal_autocheckpoint = 0');
  // Keeps a WAL that once grew large from staying large on disk after it is checkpointed.
  db.pragma('journal_size_limit = 67108864');
  migrate(db);
  return db;
}

/**
 * Reads never write, so `query_only` turns a stray write into an error instead of a write that
 * bypasses the writer's durability and ordering.
 */
export function openReadConnection(file: string): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('query_only = ON');
  db.pragma('cache_size = -32000');
  return db;
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `The event store file has schema version ${version}; this build understands up to ${SCHEMA_VERSION}.`,
    );
  }
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => {
    db.exec(MIGRATION_1);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
