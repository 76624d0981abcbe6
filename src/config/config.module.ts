import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { IdSource, RandomIdSource } from '../common/id-source';
import { ReadinessRegistry } from '../health/readiness.registry';
import type { AppConfig } from './app.config';

export const APP_CONFIG = Symbol('APP_CONFIG');

export interface EdgeOverrides {
  clock?: Clock;
  ids?: IdSource;
}

/** The validated configuration and the edge's clock and id source, for every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, overrides: EdgeOverrides = {}): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: overrides.clock ?? new SystemClock() },
        { provide: IdSource, useValue: overrides.ids ?? new RandomIdSource() },
        ReadinessRegistry,
      ],
      exports: [APP_CONFIG, Clock, IdSource, ReadinessRegistry],
    };
  }
}
