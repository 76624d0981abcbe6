import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG, EDGE_OVERRIDES, type EdgeOverrides } from '../config/config.module';
import type { AppConfig } from '../config/app.config';
import { ReadinessRegistry } from '../health/readiness.registry';
import { StoreAccessDenied } from './event-store.errors';
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
export class EventStoreModule
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('EventStore');

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register({ name: 'eventStore', check: () => this.store.checkHealth() });
  }

  /**
   * Refused credentials or rights are a deployment mistake, not an outage: say so once, loudly,
   * at startup. The service still starts (an unreachable store may come later, and rights can
   * be granted without a restart); readiness keeps reporting the same message until fixed.
   */
  onApplicationBootstrap(): void {
    this.store.checkHealth().catch((error: unknown) => {
      if (error instanceof StoreAccessDenied) this.logger.error(error.message);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
