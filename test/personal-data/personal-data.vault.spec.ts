import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersonalDataKeyStore } from '../../src/personal-data/key-store.port';
import { PersonalDataVault } from '../../src/personal-data/personal-data.vault';
import { openKeyStore } from '../../src/personal-data/sqlite.key-store';

const subject = (n: number) => `USR-0000-${String(n).padStart(4, '0')}`;

/**
 * The vault's memory: unwrapped keys in a bounded cache, least recently used out first, and a
 * subject's sealing key remembered only while its key is cached; whatever leaves is read back
 * from the key store, the same key as before.
 */
describe('the personal-data vault cache', () => {
  let dir: string;
  let keyStore: PersonalDataKeyStore;
  let vault: PersonalDataVault;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pii-vault-'));
    keyStore = openKeyStore(dir);
    vault = await PersonalDataVault.open(keyStore, randomBytes(32), { maxKeys: 2 });
  });
  afterEach(async () => {
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sealingKeyOf = async (subjectId: string) =>
    (await vault.sealingKeys(new Set([subjectId]))).get(subjectId)!.keyId;
  /** What the vault holds in memory: not visible through its methods, only in its footprint. */
  const held = () => ({
    keys: (vault['keys'] as Map<string, unknown>).size,
    sealing: (vault['current'] as Map<string, string>).size,
  });

  it('holds no more keys, nor sealing keys, than its bound, however many people it seals for', async () => {
    for (let n = 1; n <= 20; n++) await sealingKeyOf(subject(n));

    expect(held()).toEqual({ keys: 2, sealing: 2 });
  });

  it('seals for a person whose key left the cache with the same key, read from the store', async () => {
    const first = await sealingKeyOf(subject(1));
    await sealingKeyOf(subject(2));
    await sealingKeyOf(subject(3));
    const lookups = jest.spyOn(keyStore, 'currentKeys');

    expect(await sealingKeyOf(subject(1))).toBe(first);
    expect(lookups.mock.calls).toEqual([[[subject(1)]]]);
  });

  it('seals for a recently used person from memory', async () => {
    await sealingKeyOf(subject(1));
    const second = await sealingKeyOf(subject(2));
    const lookups = jest.spyOn(keyStore, 'currentKeys');

    expect(await sealingKeyOf(subject(2))).toBe(second);
    expect(lookups).not.toHaveBeenCalled();
  });

  it("drops one person's keys and sealing key, and keeps the others'", async () => {
    await sealingKeyOf(subject(1));
    await sealingKeyOf(subject(2));

    vault.drop(subject(1));

    expect(held()).toEqual({ keys: 1, sealing: 1 });
    const lookups = jest.spyOn(keyStore, 'currentKeys');
    await sealingKeyOf(subject(2));
    expect(lookups).not.toHaveBeenCalled();
  });
});
