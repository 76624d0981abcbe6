import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app.config';
import { EventStore } from '../../event-store/event-store.port';
import { CaseEventStream } from './case-event-stream';
import { createCaseEventStream } from './case-event-stream.factory';
import { CaseFoldCache } from './case-fold.cache';
import { jsonCaseSnapshotCodec, type CaseSnapshotCodec } from './case-snapshot.codec';
import { CaseSnapshots } from './case-snapshots';

/**
 * How snapshots are written and read: the one place to plug in sealing (encrypting the
 * personal data a fold holds) by providing another {@link CaseSnapshotCodec}.
 */
export const CASE_SNAPSHOT_CODEC = Symbol('CASE_SNAPSHOT_CODEC');

/** The case event stream, shared by the command pipeline, the queries, the read models and the feed. */
@Module({
  providers: [
    {
      provide: CaseFoldCache,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new CaseFoldCache(config.caseCacheCases),
    },
    { provide: CASE_SNAPSHOT_CODEC, useValue: jsonCaseSnapshotCodec },
    {
      provide: CaseEventStream,
      inject: [EventStore, CaseFoldCache, APP_CONFIG, CASE_SNAPSHOT_CODEC],
      useFactory: (
        store: EventStore,
        cache: CaseFoldCache,
        config: AppConfig,
        codec: CaseSnapshotCodec,
      ) => {
        const snapshotStore = config.caseSnapshotEvery > 0 ? store.snapshots() : undefined;
        const snapshots =
          snapshotStore &&
          new CaseSnapshots(snapshotStore, { every: config.caseSnapshotEvery, codec });
        return createCaseEventStream(store, { cache, snapshots });
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
