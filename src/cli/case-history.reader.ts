import { UnreadableCaseEvent, type CaseEventRecord } from '../cases/application/case-event.codec';
import type { CaseEventStream } from '../cases/application/case-event-stream';
import { validateCaseEvent } from '../cases/contract/case-event.schemas';
import { AuditCliError, EXIT } from './audit.errors';

/**
 * One case's history as the service reads it (upcast to the current shape), one entry at a
 * time. An event that is unreadable or breaks its schema ends the command as a damaged
 * history, pointing at `verify`, which reports every anomaly rather than stopping at the first:
 * rendering a half-formed event would show the auditor something that never happened.
 */
export async function* readCaseHistory(
  stream: CaseEventStream,
  caseId: string,
): AsyncGenerator<CaseEventRecord> {
  let revision = 1;
  const events = stream.events(caseId);
  for (;;) {
    let next: IteratorResult<CaseEventRecord>;
    try {
      next = await events.next();
    } catch (error) {
      if (!(error instanceof UnreadableCaseEvent)) throw error;
      throw damaged(caseId, revision, error.message);
    }
    if (next.done) return;
    const record = next.value;
    const problems = validateCaseEvent(record.event.type, record.event.data, record.metadata);
    if (problems.length > 0) {
      throw damaged(
        caseId,
        record.revision,
        `${record.event.type} breaks its schema (${problems.join('; ')})`,
      );
    }
    revision = record.revision + 1;
    yield record;
  }
}

function damaged(caseId: string, revision: number, what: string): AuditCliError {
  return new AuditCliError(
    `The history of ${caseId} is damaged at revision ${revision}: ${what}. ` +
      `Run "verify --case ${caseId}" to list every anomaly.`,
    EXIT.anomalies,
  );
}
