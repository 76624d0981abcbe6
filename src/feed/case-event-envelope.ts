import { CASE_STREAM_PREFIX } from '../cases/application/case-stream';
import type { RecordedEvent } from '../event-store/event-store.port';

/**
 * The `data` of one feed message (schemas/case-event-envelope.schema.json). Revision and
 * position are 64-bit in the store, so they travel as decimal strings: a JSON number would be
 * rounded by most parsers past 2^53.
 */
export interface CaseEventEnvelope {
  readonly eventId: string;
  readonly type: string;
  readonly streamId: string;
  readonly caseId: string;
  /** 0-based revision in the stream, as the store has it. */
  readonly revision: string;
  readonly position: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly created: string;
}

/** Expects an event already upcast to the current shape. */
export function toEnvelope(recorded: RecordedEvent): CaseEventEnvelope {
  return {
    eventId: recorded.id,
    type: recorded.type,
    streamId: recorded.streamId,
    caseId: recorded.streamId.slice(CASE_STREAM_PREFIX.length),
    revision: recorded.revision.toString(),
    position: recorded.position.toString(),
    data: recorded.data,
    metadata: recorded.metadata,
    created: recorded.created.toISOString(),
  };
}
