import { Command } from '@nestjs/cqrs';
import type { CaseCommand } from '../domain/case.commands';
import type { CaseHistoryEntry } from '../domain/case.history';
import type { Principal } from '../../identity/principal';

type WithoutCaseId<T> = T extends unknown ? Omit<T, 'caseId'> : never;

/** What the caller asked for; a create gets its case id inside the pipeline. */
export type CaseIntent = WithoutCaseId<CaseCommand>;

export interface CommandContext {
  readonly principal: Principal;
  readonly correlationId: string;
  /** Revisions named by `If-Match`; the command applies only if the case is at one of them. */
  readonly ifMatch?: readonly number[];
  readonly idempotencyKey?: string;
  /** Hash of what the request asked for, so a reused idempotency key with another body is told apart. */
  readonly requestHash?: string;
}

export interface CaseCommandResult {
  /** The history up to the revision this request produced (or found, for a no-op or a replay). */
  readonly history: readonly CaseHistoryEntry[];
  readonly created: boolean;
  /** How many events this request appended: 0 for a no-op and for an idempotent replay. */
  readonly appended: number;
}

export class ExecuteCaseCommand extends Command<CaseCommandResult> {
  constructor(
    /** Undefined only for a create. */
    readonly caseId: string | undefined,
    readonly intent: CaseIntent,
    readonly context: CommandContext,
  ) {
    super();
  }
}
