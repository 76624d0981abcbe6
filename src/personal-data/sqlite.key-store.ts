import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { PersonalDataKeyStore, type KeyLookup, type StoredKey } from './key-store.port';

export const KEYS_FILE_NAME = 'personal-data-keys.db';

const DDL = `
  CREATE TABLE IF NOT EXISTS data_keys (
    key_id     TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL UNIQUE,
    wrapped    BLOB NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS erased_keys (
    key_id     TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL,
    erased_at  TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS erased_keys_subject ON erased_keys (subject_id);
  CREATE TABLE IF NOT EXISTS key_store_meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
  ) STRICT;
`;

/**
 * The embedded key store: its own SQLite file under DATA_DIR, apart from the events and the
 * read models, so destroying a key is a real delete. `secure_delete` zeroes freed content, the
 * rollback journal (not WAL) leaves no old page behind once a transaction ends, and `VACUUM`
 * after a destroy rewrites the file without the freed pages.
 */
export class SqliteKeyStore extends PersonalDataKeyStore {
  private readonly statements;

  private constructor(private readonly db: Database.Database) {
    super();
    this.statements = {
      current: db.prepare('SELECT key_id, subject_id, wrapped FROM data_keys WHERE subject_id = ?'),
      add: db.prepare(
        `INSERT INTO data_keys (key_id, subject_id, wrapped) VALUES (?, ?, ?)
         ON CONFLICT (subject_id) DO NOTHING`,
      ),
      byId: db.prepare('SELECT key_id, subject_id, wrapped FROM data_keys WHERE key_id = ?'),
      erased: db.prepare('SELECT 1 FROM erased_keys WHERE key_id = ?').pluck(),
      erasedOf: db
        .prepare('SELECT key_id FROM erased_keys WHERE subject_id = ? ORDER BY rowid')
        .pluck(),
      remember: db.prepare(
        'INSERT OR IGNORE INTO erased_keys (key_id, subject_id, erased_at) VALUES (?, ?, ?)',
      ),
      remove: db.prepare('DELETE FROM data_keys WHERE subject_id = ?'),
      meta: db.prepare('SELECT value FROM key_store_meta WHERE name = ?').pluck(),
      setMeta: db.prepare('INSERT OR REPLACE INTO key_store_meta (name, value) VALUES (?, ?)'),
    };
  }

  static open(file: string): SqliteKeyStore {
    mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = DELETE');
      db.pragma('secure_delete = ON');
      db.exec(DDL);
      return new SqliteKeyStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  currentKeys(subjectIds: readonly string[]): Promise<Map<string, StoredKey>> {
    const keys = new Map<string, StoredKey>();
    for (const subjectId of subjectIds) {
      const row = this.statements.current.get(subjectId) as Row | undefined;
      if (row) keys.set(subjectId, stored(row));
    }
    return Promise.resolve(keys);
  }

  addKey(key: StoredKey): Promise<StoredKey> {
    this.statements.add.run(key.keyId, key.subjectId, key.wrapped);
    return Promise.resolve(stored(this.statements.current.get(key.subjectId) as Row));
  }

  lookup(keyIds: readonly string[]): Promise<Map<string, KeyLookup>> {
    const found = new Map<string, KeyLookup>();
    for (const keyId of keyIds) {
      const row = this.statements.byId.get(keyId) as Row | undefined;
      if (row) found.set(keyId, stored(row));
      else found.set(keyId, this.statements.erased.get(keyId) ? 'erased' : 'unknown');
    }
    return Promise.resolve(found);
  }

  destroy(subjectId: string, erasedAt: string): Promise<string[]> {
    const destroyed = this.db
      .transaction(() => {
        const row = this.statements.current.get(subjectId) as Row | undefined;
        if (!row) return [];
        this.statements.remember.run(row.key_id, subjectId, erasedAt);
        this.statements.remove.run(subjectId);
        return [row.key_id];
      })
      .immediate();
    if (destroyed.length > 0) this.db.exec('VACUUM');
    return Promise.resolve(destroyed);
  }

  erasedKeyIds(subjectId: string): Promise<string[]> {
    return Promise.resolve(this.statements.erasedOf.all(subjectId) as string[]);
  }

  masterCheck(): Promise<Buffer | undefined> {
    return Promise.resolve(this.statements.meta.get('master-check') as Buffer | undefined);
  }

  setMasterCheck(check: Buffer): Promise<void> {
    this.statements.setMeta.run('master-check', check);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}

interface Row {
  key_id: string;
  subject_id: string;
  wrapped: Buffer;
}

const stored = (row: Row): StoredKey => ({
  keyId: row.key_id,
  subjectId: row.subject_id,
  wrapped: row.wrapped,
});

/** The key store of a service whose `DATA_DIR` is `dataDir`. */
export const openKeyStore = (dataDir: string): SqliteKeyStore =>
  SqliteKeyStore.open(join(dataDir, KEYS_FILE_NAME));
