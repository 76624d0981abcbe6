import type { AppConfig } from '../config/app.config';
import { createEsdbEventStore, DEFAULT_ESDB_TIMEOUTS } from './esdb/esdb.event-store';
import type { EventStore } from './event-store.port';
import { openSqliteEventStore } from './sqlite/sqlite.event-store';

/** The adapter the configuration names; the rest of the service only sees the port. */
export async function openEventStore(
  config: Pick<
    AppConfig,
    'eventStore' | 'dataDir' | 'esdbConnectionString' | 'esdbTimeoutMs' | 'maxAppendSize'
  >,
): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite':
      return openSqliteEventStore({ dataDir: config.dataDir, maxAppendSize: config.maxAppendSize });
    case 'esdb':
      // loadConfig refuses EVENT_STORE=esdb without a connection string.
      return createEsdbEventStore(config.esdbConnectionString!, {
        appendMs: config.esdbTimeoutMs,
        readIdleMs: config.esdbTimeoutMs,
        healthMs: Math.min(config.esdbTimeoutMs, DEFAULT_ESDB_TIMEOUTS.healthMs),
      });
  }
}
