import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_SECRET_BYTES, type IdentityConfig } from './identity.config';

/** Where dev mode keeps its signing secret, inside DATA_DIR. */
export const DEV_SECRET_FILE = 'dev-token-secret';

/**
 * Dev mode's secret, kept in DATA_DIR so the tokens a developer exported keep working after a
 * restart. Created on first use, readable by its owner only. It is never used in production:
 * there, a missing key stops the service (identity.config.ts).
 */
export function devSecret(dataDir: string): Uint8Array {
  const existing = readDevSecret(dataDir);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(MIN_SECRET_BYTES);
  try {
    writeFileSync(join(dataDir, DEV_SECRET_FILE), secret.toString('hex'), {
      flag: 'wx',
      mode: 0o600,
    });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs, so both print the same tokens.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readDevSecret(dataDir)!;
    throw error;
  }
}

/** The kept secret, or undefined when dev mode has not run on this DATA_DIR yet. */
export function readDevSecret(dataDir: string): Uint8Array | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, DEV_SECRET_FILE), 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!/^[0-9a-f]{64,}$/.test(text)) {
    throw new Error(
      `${join(dataDir, DEV_SECRET_FILE)} is not a dev secret; delete it for a new one`,
    );
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** The identity config with dev mode's random secret replaced by the kept one. */
export function withDevSecret(identity: IdentityConfig, dataDir: string): IdentityConfig {
  if (!identity.devMode) return identity;
  return { ...identity, key: { kind: 'secret', secret: devSecret(dataDir) } };
}
