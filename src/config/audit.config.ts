import type { AppConfig } from './app.config';
import { AuditEnvironment, ConfigError, readEnvironment, storeSettings } from './environment';

/**
 * The part of the configuration the audit CLI needs: where the events are. Same variables and
 * schema as the service, but none of the JWT ones: the CLI reads the store directly and signs
 * nothing, so a missing token key must not stop an operator from auditing.
 */
export interface AuditConfig extends Pick<
  AppConfig,
  'eventStore' | 'dataDir' | 'esdbConnectionString' | 'piiMasterKey' | 'nodeEnv'
> {
  /** Longest wait for the store to answer a first request before giving up. */
  readonly storeTimeoutMs: number;
}

export function loadAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  const { values, problems } = readEnvironment(AuditEnvironment, env);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...storeSettings(values),
    nodeEnv: env.NODE_ENV?.trim() || 'development',
    storeTimeoutMs:
      values.AUDIT_STORE_TIMEOUT_MS === undefined ? 5_000 : Number(values.AUDIT_STORE_TIMEOUT_MS),
  };
}
