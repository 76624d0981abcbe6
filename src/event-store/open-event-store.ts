import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app.config';
import type { EsdbTimeouts } from './esdb/esdb.event-store';
import type { EventStore } from './event-store.port';
import { openSqliteEventStore } from './sqlite/sqlite.event-store';
import { SqliteReadOnlyEventStore } from './sqlite/sqlite.read-only.event-store';
import { EVENTS_FILE_NAME } from './sqlite/sqlite.schema';

type StoreConfig = Pick<AppConfig, 'eventStore' | 'dataDir' | 'esdbConnectionString'> &
  Partial<Pick<AppConfig, 'esdbTimeoutMs' | 'maxAppendSize'>>;

export interface OpenEventStoreOptions {
  /** For tools that only read: no writer, and a missing embedded store is an error, not created. */
  readonly readOnly?: boolean;
  /** Overrides the bounds `esdbTimeoutMs` gives. */
  readonly esdbTimeouts?: Partial<EsdbTimeouts>;
}

/** A read-only open of an embedded store that is not there: the data directory is wrong. */
export class EventStoreMissing extends Error {
  override readonly name = 'EventStoreMissing';
}

/**
 * Measured on a million events: pages of 500 read faster than 2,000 (larger ones outlive the
 * young generation and cost a major GC each) and keep the heap peak low.
 */
const READ_ONLY_PAGE_SIZE = 500;

/** The adapter the configuration names; the rest of the service only sees the port. */
export async function openEventStore(
  config: StoreConfig,
  { readOnly = false, esdbTimeouts }: OpenEventStoreOptions = {},
): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite': {
      if (!readOnly) {
        return openSqliteEventStore({
          dataDir: config.dataDir,
          maxAppendSize: config.maxAppendSize,
        });
      }
      const file = join(config.dataDir, EVENTS_FILE_NAME);
      if (!existsSync(file)) {
        throw new EventStoreMissing(`No event store at ${describeEventStore(config)}`);
      }
      return new SqliteReadOnlyEventStore(file, READ_ONLY_PAGE_SIZE);
    }
    case 'esdb': {
      // Loaded only when configured: the gRPC client costs ~0.3 s of start-up, in the main
      // thread and again in the projection thread, which an embedded-store service never uses.
      const { createEsdbEventStore, DEFAULT_ESDB_TIMEOUTS } =
        await import('./esdb/esdb.event-store');
      const bound = config.esdbTimeoutMs;
      // loadConfig refuses EVENT_STORE=esdb without a connection string.
      return createEsdbEventStore(config.esdbConnectionString!, {
        ...(bound === undefined
          ? {}
          : {
              appendMs: bound,
              readIdleMs: bound,
              healthMs: Math.min(bound, DEFAULT_ESDB_TIMEOUTS.healthMs),
            }),
        ...esdbTimeouts,
      });
    }
  }
}

/** Where the configured events are, for messages. */
export function describeEventStore(config: StoreConfig): string {
  return config.eventStore === 'esdb'
    ? `${config.esdbConnectionString} (EVENT_STORE=esdb)`
    : `${join(config.dataDir, EVENTS_FILE_NAME)} (DATA_DIR)`;
}
