import type { CaseEvent } from './case.events';
import type { Actor } from './case.values';

/** Metadata written with every case event (SPEC section 3). */
export interface CaseEventMetadata {
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
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
