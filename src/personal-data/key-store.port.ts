/**
 * Where each data subject's data keys live, wrapped by the master key. Async because the
 * adapters that production wants (a KMS, a database the operator can erase from) are remote;
 * the embedded one answers at once. Keys never go into the event store.
 */
export interface StoredKey {
  readonly keyId: string;
  readonly subjectId: string;
  /** The data key wrapped by the master key (nonce, ciphertext, tag). */
  readonly wrapped: Buffer;
}

/** A key id as the store knows it: live, destroyed by an erasure, or never seen. */
export type KeyLookup = StoredKey | 'erased' | 'unknown';

export abstract class PersonalDataKeyStore {
  /** The subject's live key, if it has one. */
  abstract currentKeys(subjectIds: readonly string[]): Promise<Map<string, StoredKey>>;

  /**
   * Keeps `key` as its subject's live key unless another writer stored one first; returns the
   * subject's live key either way, so two writers never seal one subject under two keys.
   */
  abstract addKey(key: StoredKey): Promise<StoredKey>;

  abstract lookup(keyIds: readonly string[]): Promise<Map<string, KeyLookup>>;

  /**
   * Destroys the subject's live keys for good (the bytes are gone from the store's files) and
   * remembers their ids as erased, so their envelopes read as erased rather than as damage.
   * Returns the ids destroyed now (none when there was nothing live).
   */
  abstract destroy(subjectId: string, erasedAt: string): Promise<string[]>;

  /** Every key id of the subject ever erased, oldest first. */
  abstract erasedKeyIds(subjectId: string): Promise<string[]>;

  /** A value kept to tell whether the configured master key is the one the keys were made with. */
  abstract masterCheck(): Promise<Buffer | undefined>;
  abstract setMasterCheck(check: Buffer): Promise<void>;

  abstract close(): Promise<void>;
}
