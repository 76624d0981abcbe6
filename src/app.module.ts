import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { AppConfig } from './config/app.config';
import { EdgeModule, type EdgeOverrides } from './config/config.module';
import { CasesModule } from './cases/cases.module';
import { loggingModule } from './common/logging';
import { ProblemFilter } from './common/problem.filter';
import { EventStoreModule } from './event-store/event-store.module';
import { FeedModule } from './feed/feed.module';
import { ProblemDocsController } from './common/problem-docs.controller';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { IdentityModule } from './identity/identity.module';
import { ProjectionsModule } from './cases/projections/projections.module';
import { ErasureModule } from './personal-data/erasure.module';
import { PersonalDataModule } from './personal-data/personal-data.module';
import type { PersonalDataVault } from './personal-data/personal-data.vault';

@Module({})
export class AppModule {
  /** `vault`: the opened vault of data keys, which the app closes on shutdown. */
  static forRoot(
    config: AppConfig,
    vault: PersonalDataVault,
    overrides: EdgeOverrides = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EdgeModule.forRoot(config, overrides),
        loggingModule(config.logLevel),
        MetricsModule.forRoot(config),
        CqrsModule.forRoot(),
        EventStoreModule,
        PersonalDataModule.forRoot(vault),
        IdentityModule.forRoot(config.identity),
        CasesModule,
        ProjectionsModule,
        FeedModule,
        ErasureModule,
        HealthModule,
      ],
      controllers: [ProblemDocsController],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
