import type { CaseEvent } from './case.events';
import type { Actor } from './case.values';

/**
 * Metadata written with every case event (SPEC section 3). The correlation and causation ids
 * carry EventStoreDB's own keys, so its `$by_correlation_id` projection links our events.
 */
export interface CaseEventMetadata {
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly actor: Actor;
  /** The request's correlation id (`X-Correlation-Id`, or one the service made up). */
  readonly $correlationId: string;
  /** One id per executed command: every event of one command shares it. */
  readonly $causationId: string;
  readonly idempotencyKey?: string;
  readonly requestHash?: string;
}

/** One event of a case's history as the domain folds it. */
export interface CaseHistoryEntry {
  readonly eventId: string;
  /** The case's revision once this event happened: 1 for the creation. */
  readonly revision: number;
  readonly event: CaseEvent;
  readonly metadata: CaseEventMetadata;
}
