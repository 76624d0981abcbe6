import { setTimeout as delay } from 'node:timers/promises';
import {
  describeEventStore,
  EventStoreMissing,
  openEventStore,
} from '../event-store/open-event-store';
import type { EventStore } from '../event-store/event-store.port';
import type { AuditConfig } from '../config/audit.config';
import { MasterKeyError } from '../personal-data/master-key';
import { openPersonalDataVault } from '../personal-data/open-vault';
import type { PersonalDataVault } from '../personal-data/personal-data.vault';
import { AuditCliError, EXIT } from './audit.errors';

/**
 * Opens the configured store and proves it answers before any command starts, so an
 * unreachable EventStoreDB fails in `storeTimeoutMs` with a clear message instead of hanging
 * (the client itself retries a closed port for as long as it is asked to).
 */
async function openAuditStore(
  config: AuditConfig,
  { writable = false }: { writable?: boolean } = {},
): Promise<EventStore> {
  const store = await openConfiguredStore(config, writable);
  const timeout = new AbortController();
  try {
    await Promise.race([
      store.checkHealth(),
      delay(config.storeTimeoutMs, undefined, { signal: timeout.signal }).then(() => {
        throw new Error(`no answer within ${config.storeTimeoutMs} ms`);
      }),
    ]);
    return store;
  } catch (error) {
    void closeQuietly(store, config.storeTimeoutMs);
    throw new AuditCliError(
      `The event store at ${describeEventStore(config)} is unavailable: ${reason(error)}`,
      EXIT.unavailable,
    );
  } finally {
    timeout.abort();
  }
}

/** Closes, but never waits longer than `ms`: a dead connection must not hold the exit up. */
async function closeQuietly(store: EventStore, ms: number): Promise<void> {
  const timer = new AbortController();
  await Promise.race([
    store.close().catch(() => undefined),
    delay(ms, undefined, { signal: timer.signal }).catch(() => undefined),
  ]);
  timer.abort();
}

async function openConfiguredStore(config: AuditConfig, writable: boolean): Promise<EventStore> {
  try {
    // The health probe and every read are bounded by the same wait.
    return await openEventStore(config, {
      // Only `forget` writes (its erasure record); every other command only reads.
      readOnly: !writable,
      esdbTimeouts: {
        healthMs: config.storeTimeoutMs,
        readIdleMs: Math.max(config.storeTimeoutMs, 10_000),
      },
    });
  } catch (error) {
    if (error instanceof EventStoreMissing) {
      throw new AuditCliError(
        `${error.message}: set DATA_DIR to the service's data directory.`,
        EXIT.config,
      );
    }
    throw new AuditCliError(
      `The event store at ${describeEventStore(config)} cannot be opened: ${reason(error)}`,
      EXIT.unavailable,
    );
  }
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs `work` on the configured store and the data keys beside it, and closes both however it
 * ends: every command that reads or writes case events goes through here.
 */
export async function withAuditStore<T>(
  config: AuditConfig,
  options: { writable?: boolean },
  work: (store: EventStore, vault: PersonalDataVault) => Promise<T>,
): Promise<T> {
  const store = await openAuditStore(config, options);
  let vault: PersonalDataVault | undefined;
  try {
    vault = await openAuditVault(config);
    return await work(store, vault);
  } finally {
    await vault?.close();
    await closeQuietly(store, config.storeTimeoutMs);
  }
}

/** The data keys beside the store, so personal data reads as the service reads it. */
async function openAuditVault(config: AuditConfig): Promise<PersonalDataVault> {
  try {
    return await openPersonalDataVault(config);
  } catch (error) {
    if (error instanceof MasterKeyError) throw new AuditCliError(error.message, EXIT.config);
    throw error;
  }
}
