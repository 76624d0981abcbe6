/**
 * The read models' tables. Every generation of the read models has its own pair of tables
 * (`case_list_<n>`, `chat_participants_<n>`) and its own checkpoint row, so a rebuild can fill a
 * new generation while the active one keeps serving, then switch by flipping one row.
 * Generation numbers are integers this code makes, never input, so naming tables with them is
 * safe.
 */
export const READ_MODELS_FILE_NAME = 'read-models.db';

export const META_DDL = `
  CREATE TABLE IF NOT EXISTS projection_generation (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    active    INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS projection_checkpoint (
    generation INTEGER PRIMARY KEY,
    -- A global position as decimal text (EventStoreDB positions do not fit a double); NULL
    -- before the first event, since 0 can itself be a position.
    position   TEXT
  ) STRICT;
  -- The last personal-data erasure whose cases were re-rendered (docs/personal-data.md).
  CREATE TABLE IF NOT EXISTS erasure_checkpoint (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    position  TEXT NOT NULL
  ) STRICT;
`;

/**
 * Bumped whenever the tables change shape. A file of another version is emptied on open and
 * refilled from the events by the runner, which read models can always afford.
 */
export const READ_MODELS_SCHEMA_VERSION = 2;

export const caseListTable = (generation: number): string => `case_list_${generation}`;
export const participantsTable = (generation: number): string => `chat_participants_${generation}`;

/**
 * Columns the list filters and sorts on, plus the fold to step on the next event and the two
 * presented views. `reporter_updated_at` is the `audit.updated.at` a client or vendor sees,
 * which leaves out events hidden from them.
 */
export function generationDdl(generation: number): string {
  const cases = caseListTable(generation);
  const participants = participantsTable(generation);
  return `
    CREATE TABLE ${cases} (
      id                  TEXT    PRIMARY KEY,
      account_id          TEXT    NOT NULL,
      status              TEXT    NOT NULL,
      awaiting            INTEGER NOT NULL,
      revision            INTEGER NOT NULL,
      queue_id            TEXT    NOT NULL,
      assignee_id         TEXT,
      reporter_id         TEXT    NOT NULL,
      queue_name          TEXT,
      account_name        TEXT,
      reporter_name       TEXT,
      assignee_name       TEXT,
      chat_id             TEXT    NOT NULL UNIQUE,
      created_at          TEXT    NOT NULL,
      updated_at          TEXT    NOT NULL,
      reporter_updated_at TEXT    NOT NULL,
      fold                TEXT    NOT NULL,
      operations_view     TEXT    NOT NULL,
      reporter_view       TEXT    NOT NULL
    ) STRICT;
    CREATE INDEX ${cases}_account ON ${cases} (account_id, created_at);
    CREATE INDEX ${cases}_created ON ${cases} (created_at);
    CREATE TABLE ${participants} (
      chat_id    TEXT NOT NULL,
      role       TEXT NOT NULL,
      identity_id TEXT NOT NULL,
      identity   TEXT NOT NULL,
      added_at   TEXT NOT NULL,
      seq        INTEGER NOT NULL,
      PRIMARY KEY (chat_id, role, identity_id)
    ) STRICT;
    INSERT INTO projection_checkpoint (generation, position) VALUES (${generation}, NULL);
  `;
}

export function dropGenerationDdl(generation: number): string {
  return `
    DROP TABLE IF EXISTS ${caseListTable(generation)};
    DROP TABLE IF EXISTS ${participantsTable(generation)};
    DELETE FROM projection_checkpoint WHERE generation = ${generation};
  `;
}
