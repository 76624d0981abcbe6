import type { AppConfig } from '../config/app.config';
import { resolveMasterKey } from './master-key';
import { PersonalDataVault } from './personal-data.vault';
import { openKeyStore } from './sqlite.key-store';

/**
 * The vault of a service (or of the audit CLI) on `dataDir`: the embedded key store and the
 * configured master key. Throws `MasterKeyError` when the key is missing in production or
 * is not the one the store was made with.
 */
export async function openPersonalDataVault(
  config: Pick<AppConfig, 'dataDir' | 'piiMasterKey' | 'nodeEnv'>,
): Promise<PersonalDataVault> {
  const master = resolveMasterKey({
    configured: config.piiMasterKey,
    production: config.nodeEnv === 'production',
    dataDir: config.dataDir,
  });
  const store = openKeyStore(config.dataDir);
  try {
    return await PersonalDataVault.open(store, master);
  } catch (error) {
    await store.close();
    throw error;
  }
}
