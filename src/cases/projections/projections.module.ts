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
import { EventStore } from '../../event-store/event-store.port';
import { ReadinessRegistry } from '../../health/readiness.registry';
import { CasesListHttpController } from '../http/cases-list.http.controller';
import { ChatsHttpController } from '../http/chats.http.controller';
import { CaseReadModelReader } from './case-read-model.reader';
import { ProjectionRunner } from './projection.runner';
import { ReadModelsDatabase, openReadModels } from './read-models.database';

/**
 * The read models behind `GET /cases` and chat participants: a thin Nest shell around plain
 * classes, which the command line uses directly.
 */
@Module({
  controllers: [CasesListHttpController, ChatsHttpController],
  providers: [
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
      inject: [EventStore, ReadModelsDatabase],
      useFactory: (store: EventStore, readModels: ReadModelsDatabase) =>
        new ProjectionRunner(store, readModels, { name: 'cases' }),
    },
  ],
  exports: [ReadModelsDatabase, CaseReadModelReader, ProjectionRunner],
})
export class ProjectionsModule
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(ReadModelsDatabase) private readonly readModels: ReadModelsDatabase,
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
  }

  /** Before any shutdown hook, so the runner is off its subscription before the store closes. */
  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }

  /** After the HTTP server has stopped taking requests that read the database. */
  onApplicationShutdown(): void {
    this.readModels.close();
  }
}
