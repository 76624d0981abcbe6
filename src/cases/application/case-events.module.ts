import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app.config';
import { EventStore } from '../../event-store/event-store.port';
import { CaseEventStream } from './case-event-stream';
import { createCaseEventStream } from './case-event-stream.factory';
import { CaseFoldCache } from './case-fold.cache';

/** The case event stream, shared by the command pipeline, the queries, the read models and the feed. */
@Module({
  providers: [
    {
      provide: CaseFoldCache,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new CaseFoldCache(config.caseCacheCases),
    },
    {
      provide: CaseEventStream,
      inject: [EventStore, CaseFoldCache],
      useFactory: (store: EventStore, cache: CaseFoldCache) =>
        createCaseEventStream(store, { cache }),
    },
  ],
  exports: [CaseEventStream, CaseFoldCache],
})
export class CaseEventsModule {}
