import {
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/app.config';
import { ReadinessRegistry } from '../../health/readiness.registry';
import { CaseEventStream } from '../application/case-event-stream';
import { CaseEventsModule } from '../application/case-events.module';
import { CaseReadModelReader } from './case-read-model.reader';
import { ProjectionRunner } from './projection.runner';
import { GetChatParticipantsHandler, ListCasesHandler } from './read-model.queries';
import { ReadModelsDatabase, openReadModels } from './read-models.database';
import { ReadYourWrites } from './read-your-writes';
import { ErasureFollower } from './erasure.follower';
import { PersonalDataErasures } from '../../personal-data/personal-data.erasures';
import { PersonalDataVault } from '../../personal-data/personal-data.vault';

/** Longest a list waits for the read models to reach this instance's own last write. */
const READ_YOUR_WRITES_MS = 2_000;

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
      provide: ReadModelsDatabase,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => openReadModels(config.dataDir),
    },
    {
      provide: CaseReadModelReader,
      inject: [ReadModelsDatabase],
      useFactory: (readModels: ReadModelsDatabase) => new CaseReadModelReader(readModels),
    },
    {
      provide: ProjectionRunner,
      inject: [CaseEventStream, ReadModelsDatabase],
      useFactory: (stream: CaseEventStream, readModels: ReadModelsDatabase) =>
        new ProjectionRunner(stream, readModels, { name: 'cases' }),
    },
    {
      provide: ReadYourWrites,
      inject: [CaseEventStream, ProjectionRunner],
      useFactory: (stream: CaseEventStream, runner: ProjectionRunner) =>
        new ReadYourWrites(stream, runner, READ_YOUR_WRITES_MS),
    },
    {
      provide: ErasureFollower,
      inject: [
        PersonalDataErasures,
        CaseEventStream,
        PersonalDataVault,
        ReadModelsDatabase,
        ProjectionRunner,
      ],
      useFactory: (
        erasures: PersonalDataErasures,
        stream: CaseEventStream,
        vault: PersonalDataVault,
        readModels: ReadModelsDatabase,
        runner: ProjectionRunner,
      ) => new ErasureFollower(erasures, stream, vault, readModels, runner),
    },
  ],
  exports: [ReadModelsDatabase, CaseReadModelReader, ProjectionRunner, ErasureFollower],
})
export class ProjectionsModule
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(ReadModelsDatabase) private readonly readModels: ReadModelsDatabase,
    @Inject(ErasureFollower) private readonly erasures: ErasureFollower,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register({
      name: `projection:${this.runner.name}`,
      check: async () => {
        if (this.runner.failure) throw new Error(this.runner.failure);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.runner.start();
    this.erasures.start();
  }

  /** Before any shutdown hook, so the runner is off its subscription before the store closes. */
  async onModuleDestroy(): Promise<void> {
    await this.erasures.stop();
    await this.runner.stop();
  }

  /** After the HTTP server has stopped taking requests that read the database. */
  onApplicationShutdown(): void {
    this.readModels.close();
  }
}
