import { createSecretKey, randomBytes } from 'node:crypto';
import { MasterKeyError } from './master-key';
import { unwrapKey, wrapKey, type DataKey } from './field-envelope';
import type { PersonalDataKeyStore, StoredKey } from './key-store.port';

/** A data key ready to use, or why there is none. */
export type OpeningKey = DataKey | 'erased' | 'unknown';

export interface SealingKey {
  readonly keyId: string;
  readonly key: DataKey;
}

/** An unwrapped key in the cache, with whose it is (to drop a subject's keys). */
interface CachedKey {
  readonly key: DataKey;
  readonly subjectId: string;
}

const MASTER_CHECK_CONTEXT = 'pii-master-check';
const MASTER_CHECK_VALUE = Buffer.from('personal-data master key check');

/**
 * Data keys per data subject, wrapped by the master key in a {@link PersonalDataKeyStore}, with
 * the unwrapped ones kept in a bounded in-memory cache (least recently used out first) so a
 * read costs a key lookup only for keys it has not met lately. Forgetting a subject destroys
 * its key in the store and in the cache.
 */
export class PersonalDataVault {
  /** Unwrapped keys by key id; Map order is recency. */
  private readonly keys = new Map<string, CachedKey>();
  /**
   * The key each subject's new data is sealed with, only while that key is in `keys`: it leaves
   * with its key, so it never outgrows the cache.
   */
  private readonly current = new Map<string, string>();

  private constructor(
    private readonly store: PersonalDataKeyStore,
    private readonly master: Buffer,
    private readonly maxKeys: number,
  ) {}

  /**
   * A vault over `store`, after checking that `master` is the key the store's keys were wrapped
   * with: a wrong one stops the caller at startup rather than reading every field as damaged.
   */
  static async open(
    store: PersonalDataKeyStore,
    master: Buffer,
    { maxKeys = 10_000 }: { maxKeys?: number } = {},
  ): Promise<PersonalDataVault> {
    const check = await store.masterCheck();
    if (check === undefined) {
      await store.setMasterCheck(wrapKey(master, MASTER_CHECK_VALUE, MASTER_CHECK_CONTEXT));
    } else {
      try {
        unwrapKey(master, check, MASTER_CHECK_CONTEXT);
      } catch {
        throw new MasterKeyError(
          'PII_MASTER_KEY does not open the personal-data key store: it is not the master key ' +
            'the keys were wrapped with. Configure that key (personal data cannot be read without it).',
        );
      }
    }
    return new PersonalDataVault(store, master, maxKeys);
  }

  /** The key to seal each subject's data with, made and stored for subjects that have none. */
  async sealingKeys(subjectIds: ReadonlySet<string>): Promise<Map<string, SealingKey>> {
    const found = new Map<string, SealingKey>();
    const missing: string[] = [];
    for (const subjectId of subjectIds) {
      const keyId = this.current.get(subjectId);
      const key = keyId === undefined ? undefined : this.cached(keyId);
      if (keyId !== undefined && key) found.set(subjectId, { keyId, key });
      else missing.push(subjectId);
    }
    if (missing.length === 0) return found;
    const stored = await this.store.currentKeys(missing);
    for (const subjectId of missing) {
      const key = stored.get(subjectId) ?? (await this.store.addKey(this.newKey(subjectId)));
      found.set(subjectId, { keyId: key.keyId, key: this.remember(key) });
      this.current.set(subjectId, key.keyId);
    }
    return found;
  }

  /** The keys that open envelopes naming `keyIds`: the key, or `erased`, or `unknown`. */
  async openingKeys(keyIds: ReadonlySet<string>): Promise<Map<string, OpeningKey>> {
    const found = new Map<string, OpeningKey>();
    const missing: string[] = [];
    for (const keyId of keyIds) {
      const key = this.cached(keyId);
      if (key) found.set(keyId, key);
      else missing.push(keyId);
    }
    if (missing.length === 0) return found;
    for (const [keyId, lookup] of await this.store.lookup(missing)) {
      if (typeof lookup === 'string') found.set(keyId, lookup);
      else {
        try {
          found.set(keyId, this.remember(lookup));
        } catch {
          found.set(keyId, 'unknown');
        }
      }
    }
    return found;
  }

  /**
   * Destroys the subject's live key (store and cache) and returns the ids destroyed now. Other
   * processes hear of it through the erasure event and call {@link drop}.
   */
  async forget(subjectId: string, erasedAt: string): Promise<string[]> {
    this.drop(subjectId);
    const destroyed = await this.store.destroy(subjectId, erasedAt);
    // Again: a seal running meanwhile may have cached the key before it was destroyed.
    this.drop(subjectId);
    return destroyed;
  }

  /** Drops what this process holds of the subject's keys. */
  drop(subjectId: string): void {
    this.current.delete(subjectId);
    for (const [id, cached] of this.keys) {
      if (cached.subjectId === subjectId) this.keys.delete(id);
    }
  }

  /** Every key id the subject ever had erased. */
  erasedKeyIds(subjectId: string): Promise<string[]> {
    return this.store.erasedKeyIds(subjectId);
  }

  close(): Promise<void> {
    this.keys.clear();
    this.current.clear();
    return this.store.close();
  }

  private newKey(subjectId: string): StoredKey {
    const keyId = randomBytes(16).toString('base64url');
    const wrapped = wrapKey(this.master, randomBytes(32), wrapContext(keyId, subjectId));
    return { keyId, subjectId, wrapped };
  }

  private remember(stored: StoredKey): DataKey {
    const raw = unwrapKey(this.master, stored.wrapped, wrapContext(stored.keyId, stored.subjectId));
    const key = createSecretKey(raw);
    raw.fill(0);
    this.keys.delete(stored.keyId);
    this.keys.set(stored.keyId, { key, subjectId: stored.subjectId });
    if (this.keys.size > this.maxKeys) {
      const [oldest, { subjectId }] = this.keys.entries().next().value!;
      this.keys.delete(oldest);
      if (this.current.get(subjectId) === oldest) this.current.delete(subjectId);
    }
    return key;
  }

  private cached(keyId: string): DataKey | undefined {
    const cached = this.keys.get(keyId);
    if (cached === undefined) return undefined;
    this.keys.delete(keyId);
    this.keys.set(keyId, cached);
    return cached.key;
  }
}

const wrapContext = (keyId: string, subjectId: string) => `pii-key\n${keyId}\n${subjectId}`;
