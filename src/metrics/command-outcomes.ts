import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CaseCommandHandler } from '../cases/application/case-command.handler';
import type { ExecuteCaseCommand } from '../cases/application/case-command.message';
import { CommandMetrics } from './command.metrics';

/**
 * How each case command ended, seen from outside the pipeline: the handler's `execute` is
 * wrapped once at startup, so the pipeline only reports what happens inside it (a conflict it
 * retries). Its own file so command.metrics.ts, which the handler imports, imports no handler.
 */
@Injectable()
export class CommandOutcomes implements OnModuleInit {
  constructor(
    private readonly metrics: CommandMetrics,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    const handler = this.moduleRef.get(CaseCommandHandler, { strict: false });
    const execute = handler.execute.bind(handler);
    handler.execute = async (command: ExecuteCaseCommand) => {
      const type = command.intent.type;
      try {
        const result = await execute(command);
        this.metrics.recordResult(type, result.appended);
        return result;
      } catch (error) {
        this.metrics.recordFailure(type, error);
        throw error;
      }
    };
  }
}
