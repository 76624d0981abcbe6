import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app.config';
import { EventStore } from '../../event-store/event-store.port';
import { PersonalDataModule } from '../../personal-data/personal-data.module';
import { PersonalDataVault } from '../../personal-data/personal-data.vault';
import { CaseEventPrivacy } from './case-event.privacy';
import { CaseEventStream } from './case-event-stream';
import { CaseFoldCache } from './case-fold.cache';

/** The case event stream, shared by the command pipeline, the queries, the read models and the feed. */
@Module({
  imports: [PersonalDataModule],
  providers: [
    {
      provide: CaseFoldCache,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new CaseFoldCache(config.caseCacheCases),
    },
    {
      provide: CaseEventStream,
      inject: [EventStore, CaseFoldCache, PersonalDataVault],
      useFactory: (store: EventStore, cache: CaseFoldCache, vault: PersonalDataVault) =>
        new CaseEventStream(store, cache, new CaseEventPrivacy(vault)),
    },
  ],
  exports: [CaseEventStream, CaseFoldCache, PersonalDataModule],
})
export class CaseEventsModule {}
