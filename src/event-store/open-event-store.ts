import type { AppConfig } from '../config/app.config';
import type { EventStore } from './event-store.port';
import { openSqliteEventStore } from './sqlite/sqlite.event-store';

export async function openEventStore(config: AppConfig): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite':
      return openSqliteEventStore({ dataDir: config.dataDir });
    case 'esdb':
      throw new Error('EVENT_STORE=esdb is not wired yet');
  }
}
