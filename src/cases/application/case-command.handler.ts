import { Inject, Injectable } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../common/clock';
import { caseIdForIdempotentCreate, IdSource } from '../../common/id-source';
import { authorizeCommand, authorizeCreate } from '../access/case-access.policy';
import type { CaseCommand, CreateCase } from '../domain/case.commands';
import { decide } from '../domain/case.decider';
import type { CaseEvent } from '../domain/case.events';
import type { CaseHistoryEntry } from '../domain/case.history';
import { CaseEventRecorded } from './case-event-recorded';
import { CaseEventStream } from './case-event-stream';
import {
  ChangeCase,
  OpenCase,
  type CaseCommandResult,
  type CommandContext,
} from './case-command.messages';
import {
  checkIfMatch,
  ensureVisible,
  eventMetadata,
  idempotentReplay,
  retryOnConflict,
  type RetryPolicy,
} from './case-command.steps';
import { existsIn, type CaseFold } from './case.fold';

export const COMMAND_RETRY_POLICY = Symbol('COMMAND_RETRY_POLICY');

/**
 * The one command pipeline. Its core is load → decide → append with the revision that was
 * read; the named steps around it (visibility, idempotent replay, authorisation, If-Match,
 * conflict retry) are in `case-command.steps.ts`. Recorded events are published on the
 * EventBus only once the append is durable.
 */
@Injectable()
export class CaseCommandPipeline {
  constructor(
    private readonly stream: CaseEventStream,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly eventBus: EventBus,
    @Inject(COMMAND_RETRY_POLICY) private readonly retry: RetryPolicy,
  ) {}

  open(data: CreateCase['data'], context: CommandContext): Promise<CaseCommandResult> {
    const { idempotencyKey, principal } = context;
    let caseId = idempotencyKey
      ? caseIdForIdempotentCreate(principal.id, idempotencyKey)
      : this.ids.caseId();
    return retryOnConflict(
      () => caseId,
      context,
      this.retry,
      (attempt) => {
        // A random id that collided gets a fresh one; a derived one replays on the next read.
        if (attempt > 0 && !idempotencyKey) caseId = this.ids.caseId();
        return this.handle({ type: 'CreateCase', caseId, data }, context);
      },
    );
  }

  change(command: CaseCommand, context: CommandContext): Promise<CaseCommandResult> {
    return retryOnConflict(
      () => command.caseId,
      context,
      this.retry,
      () => this.handle(command, context),
    );
  }

  private async handle(command: CaseCommand, context: CommandContext): Promise<CaseCommandResult> {
    const fold = await this.stream.load(command.caseId);
    ensureVisible(fold, command, context);
    const replay = idempotentReplay(fold, context);
    if (replay) {
      const then = await this.stream.load(command.caseId, { upTo: replay.revision });
      return { fold: then };
    }
    authorize(fold, command, context);
    checkIfMatch(context, fold);

    const events = decide(command, fold.state);
    if (events.length === 0) return { fold };
    const entries = this.entries(events, fold.revision, context);
    const appended = await this.stream.append(fold, entries);
    this.eventBus.publishAll(entries.map((entry) => new CaseEventRecorded(fold.caseId, entry)));
    return { fold: appended };
  }

  private entries(
    events: readonly CaseEvent[],
    revision: number,
    context: CommandContext,
  ): CaseHistoryEntry[] {
    const metadata = eventMetadata(context, this.clock.now(), this.ids.eventId());
    return events.map((event, i) => ({
      eventId: this.ids.eventId(),
      revision: revision + i + 1,
      event,
      metadata,
    }));
  }
}

function authorize(fold: CaseFold, command: CaseCommand, { principal }: CommandContext): void {
  if (command.type === 'CreateCase') {
    authorizeCreate(principal, command.data.account.id, command.data.reporter.id);
  } else if (existsIn(fold)) {
    authorizeCommand(principal, command, fold.state);
  }
}

@CommandHandler(OpenCase)
export class OpenCaseHandler implements ICommandHandler<OpenCase, CaseCommandResult> {
  constructor(private readonly pipeline: CaseCommandPipeline) {}

  execute({ data, context }: OpenCase): Promise<CaseCommandResult> {
    return this.pipeline.open(data, context);
  }
}

@CommandHandler(ChangeCase)
export class ChangeCaseHandler implements ICommandHandler<ChangeCase, CaseCommandResult> {
  constructor(private readonly pipeline: CaseCommandPipeline) {}

  execute({ command, context }: ChangeCase): Promise<CaseCommandResult> {
    return this.pipeline.change(command, context);
  }
}
