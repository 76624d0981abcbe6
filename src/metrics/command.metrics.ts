import { Injectable } from '@nestjs/common';
import { CommandConflict, PreconditionFailed } from '../common/http-errors';
import { ProblemError } from '../common/problem';
import { WrongExpectedRevision } from '../event-store/event-store.errors';
import { MetricsRegistry } from './metrics.registry';

export type CommandOutcome =
  'accepted' | 'no-op' | 'refused' | 'conflict-retried' | '412' | '409' | 'failed';

/**
 * Counts case commands by type and outcome: `case_commands_total`. How each command ended is
 * recorded from outside the pipeline (command-outcomes.ts); the pipeline itself only reports
 * what happens inside it: a conflict it retries (`record(type, 'conflict-retried')` in
 * case-command.handler.ts).
 */
@Injectable()
export class CommandMetrics {
  constructor(private readonly metrics: MetricsRegistry) {}

  record(command: string, outcome: CommandOutcome): void {
    this.metrics.commands.inc({ command, outcome });
  }

  /** A command that ended by appending events (accepted) or none (no-op, replay). */
  recordResult(command: string, appended: number): void {
    this.record(command, appended > 0 ? 'accepted' : 'no-op');
  }

  recordFailure(command: string, error: unknown): void {
    this.record(command, outcomeOf(error));
  }
}

function outcomeOf(error: unknown): CommandOutcome {
  if (error instanceof PreconditionFailed) return '412';
  if (error instanceof CommandConflict || error instanceof WrongExpectedRevision) return '409';
  if (error instanceof ProblemError && error.status < 500) return 'refused';
  return 'failed';
}
