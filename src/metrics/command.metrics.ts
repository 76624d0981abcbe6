import { Injectable } from '@nestjs/common';
import { CommandObserver, type CommandOutcome } from '../cases/application/case-command.observer';
import { MetricsRegistry } from './metrics.registry';

/** Counts case commands by type and outcome: `case_commands_total`. */
@Injectable()
export class CommandMetrics extends CommandObserver {
  constructor(private readonly metrics: MetricsRegistry) {
    super();
  }

  observe(command: string, outcome: CommandOutcome): void {
    this.metrics.commands.inc({ command, outcome });
  }
}
