import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG, EDGE_OVERRIDES, type EdgeOverrides } from '../../config/config.module';
import type { AppConfig } from '../../config/app.config';
import { ReadinessRegistry } from '../../health/readiness.registry';
import { CaseEventStream } from '../application/case-event-stream';
import { CaseEventsModule } from '../application/case-events.module';
import { CaseProjection } from './case-projection';
import { CaseReadModelReader } from './case-read-model.reader';
import { ProjectionThread } from './projection-thread';
import { ProjectionRunner } from './projection.runner';
import { GetChatParticipantsHandler, ListCasesHandler } from './read-model.queries';
import { openReadModels, openReadModelsReader, ReadModelsDatabase } from './read-models.database';
import { ReadYourWrites } from './read-your-writes';
import { ErasureFollower } from './erasure.follower';
import { PersonalDataErasures } from '../../personal-data/personal-data.erasures';
import { PersonalDataVault } from '../../personal-data/personal-data.vault';

/** Longest a list waits for the read models to reach this instance's own last write. */
const READ_YOUR_WRITES_MS = 2_000;

const PROJECTION_NAME = 'cases';

/** The projection and the connection lists read through, built together. */
interface ReadModelsHosting {
  readonly projection: CaseProjection;
  readonly readModels: ReadModelsDatabase;
  /** True when this thread writes the read models (so it re-renders them after an erasure). */
  readonly writesHere: boolean;
  close(): Promise<void>;
}
const READ_MODELS_HOSTING = Symbol('READ_MODELS_HOSTING');

/**
 * The projection runs on its own thread with its own connections (docs/projections.md), and
 * this thread reads the read models through a connection that only reads. A store handed in
 * as an object (tests: an in-memory store, or a wrapped one) lives in this thread and cannot
 * be reached from another, so then the runner follows it here, as before the thread existed.
 */
async function hostReadModels(
  config: AppConfig,
  overrides: EdgeOverrides,
  stream: CaseEventStream,
): Promise<ReadModelsHosting> {
  if (overrides.eventStore || overrides.wrapEventStore) {
    const readModels = openReadModels(config.dataDir);
    const runner = new ProjectionRunner(stream, readModels, {
      name: PROJECTION_NAME,
      logger: new Logger(`Projection:${PROJECTION_NAME}`),
    });
    return {
      projection: runner,
      readModels,
      writesHere: true,
      close: async () => readModels.close(),
    };
  }
  const thread = new ProjectionThread(
    {
      name: PROJECTION_NAME,
      eventStore: config.eventStore,
      dataDir: config.dataDir,
      esdbConnectionString: config.esdbConnectionString,
      esdbTimeoutMs: config.esdbTimeoutMs,
      maxAppendSize: config.maxAppendSize,
      piiMasterKey: config.piiMasterKey,
      nodeEnv: config.nodeEnv,
    },
    stream,
  );
  try {
    // The thread creates and migrates the file before this thread opens it to read.
    await thread.start();
    const readModels = openReadModelsReader(config.dataDir);
    const close = async () => {
      await thread.close();
      readModels.close();
    };
    return { projection: thread, readModels, writesHere: false, close };
  } catch (error) {
    await thread.close();
    throw error;
  }
}

/**
 * The read models behind `GET /cases` and chat participants, answered on the QueryBus: a thin
 * Nest shell around plain classes, which the command line uses directly.
 */
@Module({
  imports: [CaseEventsModule],
  providers: [
    ListCasesHandler,
    GetChatParticipantsHandler,
    {
      provide: READ_MODELS_HOSTING,
      inject: [APP_CONFIG, EDGE_OVERRIDES, CaseEventStream],
      useFactory: hostReadModels,
    },
    {
      provide: CaseProjection,
      inject: [READ_MODELS_HOSTING],
      useFactory: (hosting: ReadModelsHosting) => hosting.projection,
    },
    {
      provide: ReadModelsDatabase,
      inject: [READ_MODELS_HOSTING],
      useFactory: (hosting: ReadModelsHosting) => hosting.readModels,
    },
    {
      provide: CaseReadModelReader,
      inject: [ReadModelsDatabase],
      useFactory: (readModels: ReadModelsDatabase) => new CaseReadModelReader(readModels),
    },
    {
      provide: ReadYourWrites,
      inject: [CaseEventStream, CaseProjection],
      useFactory: (stream: CaseEventStream, projection: CaseProjection) =>
        new ReadYourWrites(stream, projection, READ_YOUR_WRITES_MS),
    },
    {
      provide: ErasureFollower,
      inject: [PersonalDataErasures, CaseEventStream, PersonalDataVault, READ_MODELS_HOSTING],
      useFactory: (
        erasures: PersonalDataErasures,
        stream: CaseEventStream,
        vault: PersonalDataVault,
        hosting: ReadModelsHosting,
      ) =>
        new ErasureFollower(
          erasures,
          stream,
          vault,
          hosting.readModels,
          hosting.projection,
          hosting.writesHere,
        ),
    },
  ],
  exports: [ReadModelsDatabase, CaseReadModelReader, CaseProjection, ErasureFollower],
})
export class ProjectionsModule
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  constructor(
    @Inject(CaseProjection) private readonly projection: CaseProjection,
    @Inject(READ_MODELS_HOSTING) private readonly hosting: ReadModelsHosting,
    @Inject(ErasureFollower) private readonly erasures: ErasureFollower,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register({
      name: `projection:${this.projection.name}`,
      check: async () => {
        if (this.projection.failure) throw new Error(this.projection.failure);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    this.erasures.start();
  }

  /**
   * Before any shutdown hook, so the projection is off its subscription (and its thread has
   * closed its own connections) before the store closes.
   */
  async onModuleDestroy(): Promise<void> {
    await this.erasures.stop();
    await this.projection.stop();
  }

  /** After the HTTP server has stopped taking requests that read the database. */
  async onApplicationShutdown(): Promise<void> {
    await this.hosting.close();
  }
}
