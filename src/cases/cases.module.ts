import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app.config';
import { CaseCommandHandler, COMMAND_RETRIES } from './application/case-command.handler';
import { CaseHistoryCache } from './application/case-history.cache';
import { GetCaseHistoryHandler } from './application/case-history.query';
import { CasesHttpController } from './http/cases.http.controller';

@Module({
  imports: [CqrsModule],
  controllers: [CasesHttpController],
  providers: [
    CaseCommandHandler,
    GetCaseHistoryHandler,
    {
      provide: COMMAND_RETRIES,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => c.commandRetries,
    },
    // One cache for the pipeline and the queries: both read the same store's streams.
    {
      provide: CaseHistoryCache,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new CaseHistoryCache(c.caseCacheEvents),
    },
  ],
})
export class CasesModule {}
