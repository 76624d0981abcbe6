import { resolve } from 'node:path';
import { ConfigError, type AppConfig } from '../config/app.config';

/**
 * The part of the service's configuration the audit tool needs: where the events are. It reads
 * the same variables as the service but none of the JWT ones: it reads the store directly and
 * signs nothing, so a missing token key must not stop an operator from auditing.
 */
export interface AuditConfig extends Pick<
  AppConfig,
  'eventStore' | 'dataDir' | 'esdbConnectionString'
> {
  /** Longest wait for the store to answer a first request before giving up. */
  readonly storeTimeoutMs: number;
}

const STORE_KINDS = ['sqlite', 'esdb'] as const;

export function loadAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  const problems: string[] = [];
  const read = (name: string) => env[name]?.trim() || undefined;

  const rawStore = read('EVENT_STORE') ?? 'sqlite';
  if (!(STORE_KINDS as readonly string[]).includes(rawStore)) {
    problems.push(`EVENT_STORE must be one of ${STORE_KINDS.join(', ')}, got "${rawStore}"`);
  }
  const eventStore = rawStore === 'esdb' ? 'esdb' : 'sqlite';
  const esdbConnectionString = read('EVENTSTORE_CONNECTION_STRING');
  if (eventStore === 'esdb' && !esdbConnectionString) {
    problems.push(
      'EVENT_STORE=esdb needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)',
    );
  }
  if (esdbConnectionString && !/^esdb(\+discover)?:\/\//.test(esdbConnectionString)) {
    problems.push('EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover://');
  }

  const rawTimeout = read('AUDIT_STORE_TIMEOUT_MS');
  let storeTimeoutMs = 5_000;
  if (rawTimeout !== undefined) {
    storeTimeoutMs = Number(rawTimeout);
    if (!/^\d+$/.test(rawTimeout) || storeTimeoutMs < 100 || storeTimeoutMs > 600_000) {
      problems.push(
        `AUDIT_STORE_TIMEOUT_MS must be a whole number from 100 to 600000, got "${rawTimeout}"`,
      );
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    eventStore,
    dataDir: resolve(read('DATA_DIR') ?? './data'),
    esdbConnectionString,
    storeTimeoutMs,
  };
}
