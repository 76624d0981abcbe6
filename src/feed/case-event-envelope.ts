import type { CaseEventRecord } from '../cases/application/case-event.codec';

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

/** The envelope's `revision` is the store's 0-based one; a case's revision counts from 1. */
export function toEnvelope(record: CaseEventRecord): CaseEventEnvelope {
  return {
    eventId: record.eventId,
    type: record.event.type,
    streamId: record.streamId,
    caseId: record.caseId,
    revision: String(record.revision - 1),
    position: record.position.toString(),
    data: record.event.data,
    metadata: record.metadata,
    created: record.created.toISOString(),
  };
}
