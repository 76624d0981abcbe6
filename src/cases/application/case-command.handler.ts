import { Inject, Injectable, Optional } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../common/clock';
import { caseIdForIdempotentCreate, IdSource } from '../../common/id-source';
import { authorizeCommand, authorizeCreate } from '../access/case-access.policy';
import type { CaseCommand, CreateCase } from '../domain/case.commands';
import { WrongExpectedRevision } from '../../event-store/event-store.errors';
import { decide } from '../domain/case.decider';
import type { CaseEvent } from '../domain/case.events';
import type { CaseHistoryEntry } from '../domain/case.history';
import { CaseEventRecorded } from './case-event-recorded';
import { CaseEventStream } from './case-event-stream';
import { CommandObserver, outcomeOfError, type CommandOutcome } from './case-command.observer';
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

/** What one attempt ended with, before the caller sees only the fold. */
type Outcome = CaseCommandResult & {
  outcome: Extract<CommandOutcome, 'accepted' | 'no-op' | 'replayed'>;
};

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
    @Optional() private readonly observer?: CommandObserver,
  ) {}

  open(data: CreateCase['data'], context: CommandContext): Promise<CaseCommandResult> {
    const { idempotencyKey, principal } = context;
    let caseId = idempotencyKey
      ? caseIdForIdempotentCreate(principal.id, idempotencyKey)
      : this.ids.caseId();
    return this.observed('CreateCase', (onRetry) =>
      retryOnConflict(
        () => caseId,
        context,
        this.retry,
        (attempt) => {
          // A random id that collided gets a fresh one; a derived one replays on the next read.
          if (attempt > 0 && !idempotencyKey) caseId = this.ids.caseId();
          return this.handle({ type: 'CreateCase', caseId, data }, context);
        },
        onRetry,
      ),
    );
  }

  change(command: CaseCommand, context: CommandContext): Promise<CaseCommandResult> {
    return this.observed(command.type, (onRetry) =>
      retryOnConflict(
        () => command.caseId,
        context,
        this.retry,
        (attempt) => this.handle(command, context, attempt === 0),
        onRetry,
      ),
    );
  }

  /** Runs a command and tells the observer how it ended (and of each conflict retried). */
  private async observed(
    type: string,
    run: (onRetry: () => void) => Promise<Outcome>,
  ): Promise<CaseCommandResult> {
    const observe = (outcome: CommandOutcome) => this.observer?.observe(type, outcome);
    try {
      const { fold, outcome } = await run(() => observe('conflict-retried'));
      observe(outcome);
      return { fold };
    } catch (error) {
      observe(outcomeOfError(error));
      throw error;
    }
  }

  /**
   * On a first attempt a case this instance folded recently is decided on without reading the
   * store: the append carries the cached revision as the expected one, so it succeeds only if
   * the cache was current, and a conflict (another writer or instance) evicts the fold and goes
   * round the normal re-read. Every other answer from a cached fold (a no-op, a refusal, a
   * replay, a 412) might rest on a stale fold, so it is decided again on a fresh read.
   */
  private async handle(
    command: CaseCommand,
    context: CommandContext,
    tryCached = false,
  ): Promise<Outcome> {
    const cached = tryCached ? this.stream.cached(command.caseId) : undefined;
    if (cached) {
      const result = await this.decideOn(cached, command, context).catch((error: unknown) => {
        if (error instanceof WrongExpectedRevision) throw error;
        return undefined;
      });
      if (result?.outcome === 'accepted') return result;
    }
    return this.decideOn(await this.stream.load(command.caseId), command, context);
  }

  private async decideOn(
    fold: CaseFold,
    command: CaseCommand,
    context: CommandContext,
  ): Promise<Outcome> {
    ensureVisible(fold, command, context);
    const replay = idempotentReplay(fold, context);
    if (replay) {
      const then = await this.stream.load(command.caseId, { upTo: replay.revision });
      return { fold: then, outcome: 'replayed' };
    }
    authorize(fold, command, context);
    checkIfMatch(context, fold);

    const events = decide(command, fold.state);
    if (events.length === 0) return { fold, outcome: 'no-op' };
    const entries = this.entries(events, fold.revision, context);
    const appended = await this.stream.append(fold, entries);
    this.eventBus.publishAll(entries.map((entry) => new CaseEventRecorded(fold.caseId, entry)));
    return { fold: appended, outcome: 'accepted' };
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
