import {
  caseStreamId,
  toHistoryEntry,
  UnreadableCaseEvent,
} from '../cases/application/case-stream';
import { validateCaseEvent } from '../cases/contract/case-event.schemas';
import type { CaseHistoryEntry } from '../cases/domain/case.history';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { AuditCliError, EXIT } from './audit.errors';

/**
 * One case's history as the service reads it (upcast to the current shape), one entry at a
 * time. An event that is unreadable or breaks its schema ends the command as a damaged
 * history, pointing at `verify`, which reports every anomaly rather than stopping at the first:
 * rendering a half-formed event would show the auditor something that never happened.
 */
export async function* readCaseHistory(
  store: EventStore,
  caseId: string,
): AsyncGenerator<CaseHistoryEntry> {
  for await (const recorded of store.readStream(caseStreamId(caseId))) {
    yield readableEntry(caseId, recorded);
  }
}

function readableEntry(caseId: string, recorded: RecordedEvent): CaseHistoryEntry {
  let entry: CaseHistoryEntry;
  try {
    entry = toHistoryEntry(recorded);
  } catch (error) {
    if (!(error instanceof UnreadableCaseEvent)) throw error;
    throw damaged(caseId, recorded, error.message);
  }
  const problems = validateCaseEvent(entry.event.type, entry.event.data, entry.metadata);
  if (problems.length > 0) {
    throw damaged(caseId, recorded, `${recorded.type} breaks its schema (${problems.join('; ')})`);
  }
  return entry;
}

function damaged(caseId: string, recorded: RecordedEvent, what: string): AuditCliError {
  return new AuditCliError(
    `The history of ${caseId} is damaged at revision ${recorded.revision + 1n}: ${what}. ` +
      `Run "verify --case ${caseId}" to list every anomaly.`,
    EXIT.anomalies,
  );
}
