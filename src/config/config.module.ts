import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Clock, SystemClock } from '../common/clock';
import { IdSource, RandomIdSource } from '../common/id-source';
import type { EventStore } from '../event-store/event-store.port';
import { ReadinessRegistry } from '../health/readiness.registry';
import type { AppConfig } from './app.config';

export const APP_CONFIG = Symbol('APP_CONFIG');

export const EDGE_OVERRIDES = Symbol('EDGE_OVERRIDES');

/** What tests may replace at the edge; production passes none of it. */
export interface EdgeOverrides {
  clock?: Clock;
  ids?: IdSource;
  /** Replaces the configured store, e.g. with an in-memory one; still closed on shutdown. */
  eventStore?: EventStore;
  /** Wraps the configured store, e.g. to let a test play another writer. */
  wrapEventStore?: (store: EventStore) => EventStore;
}

/**
 * The validated configuration (through @nestjs/config's `ConfigService` too, under `app`) and the
 * edge's clock and id source, for every module. Named `EdgeModule` so it never reads as
 * @nestjs/config's `ConfigModule`, which it imports.
 */
@Global()
@Module({})
export class EdgeModule {
  static forRoot(config: AppConfig, overrides: EdgeOverrides = {}): DynamicModule {
    return {
      module: EdgeModule,
      imports: [
        // The environment was validated before the app was built (main.ts, exit 78); the
        // service reads no .env file, so what the process was given is what it runs with.
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ app: config })] }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EDGE_OVERRIDES, useValue: overrides },
        { provide: Clock, useValue: overrides.clock ?? new SystemClock() },
        { provide: IdSource, useValue: overrides.ids ?? new RandomIdSource() },
        ReadinessRegistry,
      ],
      exports: [ConfigModule, APP_CONFIG, EDGE_OVERRIDES, Clock, IdSource, ReadinessRegistry],
    };
  }
}
