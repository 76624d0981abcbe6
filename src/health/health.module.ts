import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PinoLogger } from 'nestjs-pino';
import { CaseEventsModule } from '../cases/application/case-events.module';
import { ProjectionsModule } from '../cases/projections/projections.module';
import { EventStore } from '../event-store/event-store.port';
import { HealthController } from './health.controller';
import { ReadinessIndicators } from './health.indicators';
import { ReadModelLag } from './read-model-lag';

/** `/health/live` and `/health/ready` (terminus), and the read-model lag they and metrics use. */
@Module({
  // Terminus' own error log would repeat every failing probe; the controller logs transitions.
  imports: [TerminusModule.forRoot({ logger: false }), ProjectionsModule, CaseEventsModule],
  controllers: [HealthController],
  providers: [ReadModelLag, ReadinessIndicators],
})
export class HealthModule implements OnApplicationBootstrap {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('EventStore');
  }

  /**
   * The service starts without its store (it answers 503 and readiness says why until the
   * store is back), but an operator must see at boot that it is not really up.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.store.checkHealth();
    } catch (error) {
      this.logger.warn(
        { cause: error instanceof Error ? error.message : String(error) },
        'The event store is unreachable at startup: commands answer 503 and /health/ready reports it until it answers',
      );
    }
  }
}
