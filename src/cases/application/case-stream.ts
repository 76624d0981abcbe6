import type { CaseEvent } from '../domain/case.events';
import { CASE_EVENT_TYPES } from '../domain/case.events';
import type { CaseEventMetadata, CaseHistoryEntry } from '../domain/case.history';
import type { EventStore, EventToAppend, RecordedEvent } from '../../event-store/event-store.port';

export const CASE_STREAM_PREFIX = 'case-';

export const caseStreamId = (caseId: string): string => `${CASE_STREAM_PREFIX}${caseId}`;

/** A stored event that is not a case event where one must be: the history is damaged. */
export class UnreadableCaseEvent extends Error {
  override readonly name = 'UnreadableCaseEvent';
}

export function toHistoryEntry(recorded: RecordedEvent): CaseHistoryEntry {
  if (!CASE_EVENT_TYPES.includes(recorded.type as CaseEvent['type'])) {
    throw new UnreadableCaseEvent(
      `Event ${recorded.id} in ${recorded.streamId} has unknown type ${recorded.type}`,
    );
  }
  return {
    eventId: recorded.id,
    revision: Number(recorded.revision) + 1,
    event: { type: recorded.type, data: recorded.data } as CaseEvent,
    metadata: recorded.metadata as CaseEventMetadata,
  };
}

export async function loadCaseHistory(
  store: EventStore,
  caseId: string,
): Promise<CaseHistoryEntry[]> {
  const history: CaseHistoryEntry[] = [];
  for await (const recorded of store.readStream(caseStreamId(caseId))) {
    history.push(toHistoryEntry(recorded));
  }
  return history;
}

export function toEventToAppend(
  id: string,
  event: CaseEvent,
  metadata: CaseEventMetadata,
): EventToAppend {
  return { id, type: event.type, data: event.data, metadata };
}
