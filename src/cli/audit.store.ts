import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createEsdbEventStore } from '../event-store/esdb/esdb.event-store';
import type { EventStore } from '../event-store/event-store.port';
import { EVENTS_FILE_NAME } from '../event-store/sqlite/sqlite.schema';
import type { AuditConfig } from '../config/audit.config';
import { AuditCliError, EXIT } from './audit.errors';
import { SqliteReadOnlyEventStore } from './sqlite-read-only.store';

/**
 * Measured on a million events: 500 reads faster than 2,000 (a page is one JSON text; larger
 * ones outlive the young generation and cost a major GC each) and keeps the heap peak low.
 */
const SQLITE_AUDIT_PAGE_SIZE = 500;

/**
 * Opens the configured store and proves it answers before any command starts, so an
 * unreachable EventStoreDB fails in `storeTimeoutMs` with a clear message instead of hanging
 * (the client itself retries a closed port for as long as it is asked to).
 */
export async function openAuditStore(config: AuditConfig): Promise<EventStore> {
  const store = await openConfiguredStore(config);
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
      `The event store at ${describeStore(config)} is unavailable: ${reason(error)}`,
      EXIT.unavailable,
    );
  } finally {
    timeout.abort();
  }
}

export function describeStore(config: AuditConfig): string {
  return config.eventStore === 'esdb'
    ? `${config.esdbConnectionString} (EVENT_STORE=esdb)`
    : `${join(config.dataDir, EVENTS_FILE_NAME)} (DATA_DIR)`;
}

/** Closes, but never waits longer than `ms`: a dead connection must not hold the exit up. */
export async function closeQuietly(store: EventStore, ms: number): Promise<void> {
  const timer = new AbortController();
  await Promise.race([
    store.close().catch(() => undefined),
    delay(ms, undefined, { signal: timer.signal }).catch(() => undefined),
  ]);
  timer.abort();
}

async function openConfiguredStore(config: AuditConfig): Promise<EventStore> {
  if (config.eventStore === 'esdb') {
    // The health probe and every read are bounded by the same wait.
    return createEsdbEventStore(config.esdbConnectionString!, {
      healthMs: config.storeTimeoutMs,
      readIdleMs: Math.max(config.storeTimeoutMs, 10_000),
    });
  }
  // Opening creates a missing store; an audit of a mistyped DATA_DIR must say so instead.
  if (!existsSync(join(config.dataDir, EVENTS_FILE_NAME))) {
    throw new AuditCliError(
      `No event store at ${describeStore(config)}: set DATA_DIR to the service's data directory.`,
      EXIT.config,
    );
  }
  try {
    return new SqliteReadOnlyEventStore(
      join(config.dataDir, EVENTS_FILE_NAME),
      SQLITE_AUDIT_PAGE_SIZE,
    );
  } catch (error) {
    throw new AuditCliError(
      `The event store at ${describeStore(config)} cannot be opened: ${reason(error)}`,
      EXIT.unavailable,
    );
  }
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
