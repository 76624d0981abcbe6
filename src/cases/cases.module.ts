import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app.config';
import { CaseCommandHandler, COMMAND_RETRIES } from './application/case-command.handler';
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
  ],
})
export class CasesModule {}
