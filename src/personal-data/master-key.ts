import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where development keeps its generated master key, inside DATA_DIR. */
export const DEV_MASTER_KEY_FILE = 'pii-master-key';

const KEY_BYTES = 32;

/** The master key is missing, malformed, or not the one the key store was made with. */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

/** `PII_MASTER_KEY` as bytes: 32 bytes written as 64 hex digits or as base64 / base64url. */
export function parseMasterKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return undefined;
  const bytes = Buffer.from(value.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}

export const MASTER_KEY_FORMAT =
  'PII_MASTER_KEY must be 32 random bytes as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)';

export const MASTER_KEY_REQUIRED = `PII_MASTER_KEY is required in production: it wraps the keys that encrypt personal data. ${MASTER_KEY_FORMAT}`;

/**
 * The master key that wraps every data key: `PII_MASTER_KEY` when set; in production it must
 * be; elsewhere a key generated once and kept in DATA_DIR (like the dev token secret), so
 * development data stays readable across restarts.
 */
export function resolveMasterKey(options: {
  configured: string | undefined;
  production: boolean;
  dataDir: string;
}): Buffer {
  const { configured, production, dataDir } = options;
  if (configured !== undefined && configured.trim() !== '') {
    const key = parseMasterKey(configured);
    if (!key) throw new MasterKeyError(MASTER_KEY_FORMAT);
    return key;
  }
  if (production) throw new MasterKeyError(MASTER_KEY_REQUIRED);
  return devMasterKey(dataDir);
}

function devMasterKey(dataDir: string): Buffer {
  const file = join(dataDir, DEV_MASTER_KEY_FILE);
  const existing = readKept(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(KEY_BYTES).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process (the audit CLI, a second test app) created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKept(file)!;
}

function readKept(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = parseMasterKey(text);
  if (!key) throw new MasterKeyError(`${file} is not a master key; ${MASTER_KEY_FORMAT}`);
  return key;
}
