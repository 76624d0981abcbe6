import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app.config';
import { EventStore } from '../../event-store/event-store.port';
import { PersonalDataVault } from '../../personal-data/personal-data.vault';
import { CaseEventStream } from './case-event-stream';
import { createCaseEventStream } from './case-event-stream.factory';
import { CaseFoldCache } from './case-fold.cache';
import { jsonCaseSnapshotCodec, type CaseSnapshotCodec } from './case-snapshot.codec';
import { sealedCaseSnapshotCodec } from './case-snapshot.sealing';
import { CaseSnapshots } from './case-snapshots';

/**
 * How snapshots are written and read: the fold as JSON, sealed so that a snapshot opens only
 * while every person it mentions still has a key ({@link sealedCaseSnapshotCodec}).
 */
const CASE_SNAPSHOT_CODEC = Symbol('CASE_SNAPSHOT_CODEC');

/** The case event stream, shared by the command pipeline, the queries, the read models and the feed. */
@Module({
  providers: [
    {
      provide: CaseFoldCache,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new CaseFoldCache(config.caseCacheCases),
    },
    {
      provide: CASE_SNAPSHOT_CODEC,
      inject: [PersonalDataVault],
      useFactory: (vault: PersonalDataVault) =>
        sealedCaseSnapshotCodec(jsonCaseSnapshotCodec, vault),
    },
    {
      provide: CaseEventStream,
      inject: [EventStore, CaseFoldCache, APP_CONFIG, CASE_SNAPSHOT_CODEC, PersonalDataVault],
      useFactory: (
        store: EventStore,
        cache: CaseFoldCache,
        config: AppConfig,
        codec: CaseSnapshotCodec,
        vault: PersonalDataVault,
      ) => {
        const snapshotStore = config.caseSnapshotEvery > 0 ? store.snapshots() : undefined;
        const snapshots =
          snapshotStore &&
          new CaseSnapshots(snapshotStore, { every: config.caseSnapshotEvery, codec });
        return createCaseEventStream(store, { cache, snapshots, vault });
      },
    },
  ],
  exports: [CaseEventStream, CaseFoldCache],
})
export class CaseEventsModule implements OnApplicationShutdown {
  constructor(@Inject(CaseEventStream) private readonly stream: CaseEventStream) {}

  /** Snapshot writes under way finish before the store (a module this one uses) closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.stream.snapshotsWritten();
  }
}
