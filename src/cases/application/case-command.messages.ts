import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../identity/principal';
import type { CaseCommand, CreateCase } from '../domain/case.commands';
import type { CaseFold } from './case.fold';

/** A command on an existing case: every one but the create names its case. */
export type CaseChange = Exclude<CaseCommand, CreateCase>;

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
  /** The case as of the revision this request produced (or found, for a no-op or a replay). */
  readonly fold: CaseFold;
}

/** `POST /cases`: the case id is chosen by the pipeline (derived from an `Idempotency-Key`). */
export class OpenCase extends Command<CaseCommandResult> {
  constructor(
    readonly data: CreateCase['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Every other command route. */
export class ChangeCase extends Command<CaseCommandResult> {
  constructor(
    readonly command: CaseChange,
    readonly context: CommandContext,
  ) {
    super();
  }
}
