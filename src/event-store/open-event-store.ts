import type { AppConfig } from '../config/app.config';
import { createEsdbEventStore } from './esdb/esdb.event-store';
import type { EventStore } from './event-store.port';
import { openSqliteEventStore } from './sqlite/sqlite.event-store';

/** The adapter the configuration names; the rest of the service only sees the port. */
export async function openEventStore(
  config: Pick<AppConfig, 'eventStore' | 'dataDir' | 'esdbConnectionString'>,
): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite':
      return openSqliteEventStore({ dataDir: config.dataDir });
    case 'esdb':
      // loadConfig refuses EVENT_STORE=esdb without a connection string.
      return createEsdbEventStore(config.esdbConnectionString!);
  }
}
