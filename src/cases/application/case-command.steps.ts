import { setTimeout as delay } from 'node:timers/promises';
import { WrongExpectedRevision } from '../../event-store/event-store.errors';
import { maySeeCase } from '../access/case-access.policy';
import type { CaseCommand } from '../domain/case.commands';
import { CaseNotFound } from '../domain/case.errors';
import { CASE_EVENT_SCHEMA_VERSION } from '../domain/case.events';
import type { CaseEventMetadata } from '../domain/case.history';
import { CommandConflict, IdempotencyKeyReused, StaleRevision } from './case-application.errors';
import type { CommandContext } from './case-command.messages';
import { requestKey, type CaseFold } from './case.fold';

/**
 * The named steps around the pipeline's load → decide → append core. Each is a plain function
 * of the fold and the request, so each reads (and is tested) on its own.
 */

/** A case the caller may not see answers exactly as a missing one: 404. */
export function ensureVisible(fold: CaseFold, command: CaseCommand, context: CommandContext): void {
  if (command.type === 'CreateCase') return;
  if (fold.state.status === 'None' || !maySeeCase(context.principal, fold.state.account.id)) {
    throw new CaseNotFound(fold.caseId);
  }
}

/**
 * A retry of a request this caller already made with the same key: the revision to answer
 * with, as the first time did; 422 when the key came with a different request.
 */
export function idempotentReplay(
  fold: CaseFold,
  { idempotencyKey, principal, requestHash }: CommandContext,
): { revision: number } | undefined {
  if (idempotencyKey === undefined) return undefined;
  const earlier = fold.requests.get(requestKey(principal.id, idempotencyKey));
  if (earlier === undefined) return undefined;
  if (earlier.requestHash !== requestHash) {
    throw new IdempotencyKeyReused(
      `Idempotency-Key "${idempotencyKey}" was already used with a different request.`,
    );
  }
  return { revision: earlier.lastRevision };
}

export function checkIfMatch({ ifMatch }: CommandContext, fold: CaseFold): void {
  if (ifMatch && !ifMatch.includes(fold.revision)) {
    throw staleRevision(fold.caseId, ifMatch, fold.revision);
  }
}

export function staleRevision(
  caseId: string,
  ifMatch: readonly number[],
  revision?: number,
): StaleRevision {
  const now = revision === undefined ? 'has changed since' : `is at revision ${revision}`;
  return new StaleRevision(
    `Case ${caseId} ${now}; If-Match named ${ifMatch.map((r) => `W/"${r}"`).join(', ')}.`,
  );
}

/** What every event of one command carries: who, when, and which request. */
export function eventMetadata(
  context: CommandContext,
  occurredAt: Date,
  causationId: string,
): CaseEventMetadata {
  const { principal, correlationId, idempotencyKey, requestHash } = context;
  return {
    schemaVersion: CASE_EVENT_SCHEMA_VERSION,
    occurredAt: occurredAt.toISOString(),
    actor: {
      id: principal.id,
      name: principal.name,
      accountId: principal.accountId,
      accountName: principal.accountName,
      accountType: principal.accountType,
    },
    $correlationId: correlationId,
    $causationId: causationId,
    ...(idempotencyKey !== undefined ? { idempotencyKey, requestHash } : {}),
  };
}

export interface RetryPolicy {
  /** Re-reads and re-decisions after a concurrent write before giving up with 409. */
  readonly retries: number;
  /** Base of the jittered backoff between attempts; 0 retries at once. */
  readonly backoffMs: number;
}

/**
 * Runs `attempt` again when another writer got there first. A caller who sent `If-Match`
 * decided on a state that is gone: 412 at once. Otherwise up to `retries` more attempts, each
 * after a random wait of up to `backoffMs × 2^n` so racing writers spread out, then 409.
 */
export async function retryOnConflict<T>(
  caseId: () => string,
  context: CommandContext,
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
  onRetry: () => void = () => undefined,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision)) throw error;
      if (context.ifMatch) throw staleRevision(caseId(), context.ifMatch);
      if (n >= policy.retries) {
        throw new CommandConflict(
          `Case ${caseId()} kept changing under this command; retried ${n} times.`,
        );
      }
      onRetry();
      if (policy.backoffMs > 0) await delay(Math.random() * policy.backoffMs * 2 ** n);
    }
  }
}
