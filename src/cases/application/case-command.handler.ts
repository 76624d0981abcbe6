import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../common/clock';
import {
  CommandConflict,
  IdempotencyKeyReused,
  PreconditionFailed,
} from '../../common/http-errors';
import { caseIdForIdempotentCreate, IdSource } from '../../common/id-source';
import { WrongExpectedRevision } from '../../event-store/event-store.errors';
import { EventStore } from '../../event-store/event-store.port';
import { CommandMetrics } from '../../metrics/command.metrics';
import { authorizeCaseCommand, maySeeCase } from '../../identity/case-access.policy';
import type { CaseCommand } from '../domain/case.commands';
import { decide } from '../domain/case.decider';
import { CaseNotFound } from '../domain/case.errors';
import { CASE_EVENT_SCHEMA_VERSION, type CaseEvent } from '../domain/case.events';
import type { CaseEventMetadata, CaseHistoryEntry } from '../domain/case.history';
import { evolve, initialState, type CaseState } from '../domain/case.state';
import { CaseEventRecorded } from './case-event-recorded';
import { CaseHistoryCache } from './case-history.cache';
import {
  ExecuteCaseCommand,
  type CaseCommandResult,
  type CommandContext,
} from './case-command.message';
import { caseStreamId, loadCaseHistory, toEventToAppend } from './case-stream';

export const COMMAND_RETRIES = Symbol('COMMAND_RETRIES');

/**
 * The one command pipeline: load → authorize → decide → append with the revision that was
 * read → publish. Without `If-Match` a conflicting writer makes it re-read and re-decide, a
 * bounded number of times; with `If-Match` the caller decided on a state that is gone: 412.
 */
@CommandHandler(ExecuteCaseCommand)
export class CaseCommandHandler implements ICommandHandler<ExecuteCaseCommand, CaseCommandResult> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly eventBus: EventBus,
    @Inject(COMMAND_RETRIES) private readonly retries: number,
    @Optional() private readonly cache?: CaseHistoryCache,
    @Optional() private readonly metrics?: CommandMetrics,
  ) {}

  async execute({ caseId, intent, context }: ExecuteCaseCommand): Promise<CaseCommandResult> {
    let id = caseId ?? this.newCaseId(context);
    for (let attempt = 0; ; attempt++) {
      const history = await loadCaseHistory(this.store, id, this.cache);
      const command = { ...intent, caseId: id } as CaseCommand;
      const state = history.reduce<CaseState>((s, entry) => evolve(s, entry.event), initialState);
      if (
        command.type !== 'CreateCase' &&
        (state.status === 'None' || !maySeeCase(context.principal, state.account.id))
      ) {
        throw new CaseNotFound(id);
      }
      const replay = replayOf(history, context);
      if (replay) return replay;
      if (state.status !== 'None') authorizeCaseCommand(context.principal, command, state);
      checkIfMatch(context, history.length, id);

      const events = decide(command, state);
      if (events.length === 0) return { history, created: false, appended: 0 };
      const entries = this.toEntries(events, history.length, context);
      try {
        await this.store.appendToStream(
          caseStreamId(id),
          entries.map((entry) => toEventToAppend(entry.eventId, entry.event, entry.metadata)),
          { expectedRevision: history.length === 0 ? 'no_stream' : BigInt(history.length - 1) },
        );
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision)) throw error;
        if (context.ifMatch) throw staleIfMatch(id, context.ifMatch);
        if (attempt >= this.retries) {
          throw new CommandConflict(
            `Case ${id} kept changing under this command; retried ${attempt} times.`,
          );
        }
        // A random case id that collided gets a fresh one; a derived one replays on the next read.
        if (command.type === 'CreateCase' && !context.idempotencyKey) id = this.ids.caseId();
        this.metrics?.record(command.type, 'conflict-retried');
        continue;
      }
      this.eventBus.publishAll(entries.map((entry) => new CaseEventRecorded(id, entry)));
      return {
        history: [...history, ...entries],
        created: command.type === 'CreateCase',
        appended: entries.length,
      };
    }
  }

  private newCaseId({ idempotencyKey, principal }: CommandContext): string {
    return idempotencyKey
      ? caseIdForIdempotentCreate(principal.id, idempotencyKey)
      : this.ids.caseId();
  }

  private toEntries(
    events: CaseEvent[],
    revision: number,
    context: CommandContext,
  ): CaseHistoryEntry[] {
    const { principal, correlationId, idempotencyKey, requestHash } = context;
    const metadata: CaseEventMetadata = {
      schemaVersion: CASE_EVENT_SCHEMA_VERSION,
      occurredAt: this.clock.now().toISOString(),
      actor: {
        id: principal.id,
        name: principal.name,
        accountId: principal.accountId,
        accountName: principal.accountName,
        accountType: principal.accountType,
      },
      correlationId,
      causationId: this.ids.eventId(),
      ...(idempotencyKey !== undefined ? { idempotencyKey, requestHash } : {}),
    };
    return events.map((event, i) => ({
      eventId: this.ids.eventId(),
      revision: revision + i + 1,
      event,
      metadata,
    }));
  }
}

/** A retry of a request this caller already made with the same key: answer as the first time. */
function replayOf(
  history: CaseHistoryEntry[],
  context: CommandContext,
): CaseCommandResult | undefined {
  const { idempotencyKey, principal, requestHash } = context;
  if (idempotencyKey === undefined) return undefined;
  const earlier = history.filter(
    ({ metadata }) =>
      metadata.idempotencyKey === idempotencyKey && metadata.actor.id === principal.id,
  );
  if (earlier.length === 0) return undefined;
  if (earlier[0].metadata.requestHash !== requestHash) {
    throw new IdempotencyKeyReused(
      `Idempotency-Key "${idempotencyKey}" was already used with a different request.`,
    );
  }
  const producedRevision = earlier[earlier.length - 1].revision;
  return {
    history: history.slice(0, producedRevision),
    created: earlier[0].event.type === 'CaseCreated',
    appended: 0,
  };
}

function checkIfMatch({ ifMatch }: CommandContext, revision: number, caseId: string): void {
  if (ifMatch && !ifMatch.includes(revision)) throw staleIfMatch(caseId, ifMatch, revision);
}

function staleIfMatch(
  caseId: string,
  ifMatch: readonly number[],
  revision?: number,
): PreconditionFailed {
  const now = revision === undefined ? 'has changed since' : `is at revision ${revision}`;
  return new PreconditionFailed(
    `Case ${caseId} ${now}; If-Match named ${ifMatch.map((r) => `W/"${r}"`).join(', ')}.`,
  );
}
