import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app.config';
import { CaseEventLog } from './application/case-event-recorded';
import { CaseEventsModule } from './application/case-events.module';
import {
  CaseCommandPipeline,
  ChangeCaseHandler,
  COMMAND_RETRY_POLICY,
  OpenCaseHandler,
} from './application/case-command.handler';
import type { RetryPolicy } from './application/case-command.steps';
import { GetCaseAuditTrailHandler, GetCaseHandler } from './application/case.queries';
import { CasesListHttpController } from './http/cases-list.http.controller';
import { CasesHttpController } from './http/cases.http.controller';
import { ChatsHttpController } from './http/chats.http.controller';

/** Base of the jittered wait between conflict retries: racing writers spread over milliseconds. */
const RETRY_BACKOFF_MS = 5;

@Module({
  imports: [CqrsModule, CaseEventsModule],
  controllers: [CasesHttpController, CasesListHttpController, ChatsHttpController],
  providers: [
    CaseCommandPipeline,
    OpenCaseHandler,
    ChangeCaseHandler,
    GetCaseHandler,
    GetCaseAuditTrailHandler,
    CaseEventLog,
    {
      provide: COMMAND_RETRY_POLICY,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig): RetryPolicy => ({
        retries: c.commandRetries,
        backoffMs: RETRY_BACKOFF_MS,
      }),
    },
  ],
})
export class CasesModule {}
