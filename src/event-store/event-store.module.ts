import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { join } from 'node:path';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, EDGE_OVERRIDES, type EdgeOverrides } from '../config/config.module';
import type { AppConfig } from '../config/app.config';
import { ReadinessRegistry } from '../health/readiness.registry';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { StoreAccessDenied } from './event-store.errors';
import { EventStore } from './event-store.port';
import { InstrumentedEventStore } from './instrumented.event-store';
import { openEventStore } from './open-event-store';
import { EVENTS_FILE_NAME } from './sqlite/sqlite.schema';
import { groupCommitChannel, type GroupCommit } from './sqlite/sqlite.writer';

/**
 * Provides the configured adapter behind the port, instrumented (metrics, one log line per
 * failed call), and closes it on shutdown.
 */
@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      inject: [APP_CONFIG, EDGE_OVERRIDES, MetricsRegistry, PinoLogger],
      useFactory: async (
        config: AppConfig,
        overrides: EdgeOverrides,
        metrics: MetricsRegistry,
        logger: PinoLogger,
      ) => {
        const opened = overrides.eventStore ?? (await openEventStore(config));
        const store = overrides.wrapEventStore ? overrides.wrapEventStore(opened) : opened;
        logger.setContext('EventStore');
        return new InstrumentedEventStore(store, config.eventStore, metrics, logger);
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsRegistry,
  ) {}

  /** Group commits of this service's own store file (a test process may run several). */
  private readonly onGroupCommit = (message: unknown) => {
    const commit = message as GroupCommit;
    if (commit.file === join(this.config.dataDir, EVENTS_FILE_NAME)) {
      this.metrics.groupCommitSize.observe(commit.appends);
    }
  };

  onModuleInit(): void {
    this.readiness.register({ name: 'eventStore', check: () => this.store.checkHealth() });
    if (this.config.eventStore === 'sqlite') groupCommitChannel.subscribe(this.onGroupCommit);
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
    groupCommitChannel.unsubscribe(this.onGroupCommit);
    await this.store.close();
  }
}
