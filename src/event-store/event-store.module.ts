import {
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG, EDGE_OVERRIDES, type EdgeOverrides } from '../config/config.module';
import type { AppConfig } from '../config/app.config';
import { ReadinessRegistry } from '../health/readiness.registry';
import { EventStore } from './event-store.port';
import { openEventStore } from './open-event-store';

/** Provides the configured adapter behind the port and closes it on shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      inject: [APP_CONFIG, EDGE_OVERRIDES],
      useFactory: async (config: AppConfig, overrides: EdgeOverrides) => {
        const store = overrides.eventStore ?? (await openEventStore(config));
        return overrides.wrapEventStore ? overrides.wrapEventStore(store) : store;
      },
    },
  ],
  exports: [EventStore],
})
export class EventStoreModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register({ name: 'eventStore', check: () => this.store.checkHealth() });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
