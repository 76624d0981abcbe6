import type { CaseEvent } from '../domain/case.events';
import type { CaseHistoryEntry } from '../domain/case.history';
import { foldCaseView, type CaseView } from '../domain/case.view';
import { isOperations, isVisibleToReporter, maySeeEvent } from '../../identity/case-access.policy';
import type { Principal } from '../../identity/principal';

export type PresentedCase = Omit<CaseView, 'awaiting'> & { awaiting?: boolean };

/** The Case as this caller may see it: a replay of the history, narrowed for non-operations. */
export function presentCase(
  history: readonly CaseHistoryEntry[],
  principal: Principal,
): PresentedCase {
  const view = foldCaseView(history, (entry) => maySeeEvent(principal, entry));
  if (!view) throw new Error('presentCase needs a history that starts with CaseCreated');
  return narrowCaseView(view, principal);
}

/** Also used for read-model rows, which hold the operations view. */
export function narrowCaseView(view: CaseView, principal: Principal): PresentedCase {
  if (isOperations(principal)) return view;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { awaiting, audit, ...rest } = view;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { awaitingChanged, ...visibleAudit } = audit;
  return { ...rest, parameters: view.parameters.filter(isVisibleToReporter), audit: visibleAudit };
}

export interface AuditRecord {
  id: string;
  revision: number;
  event: string;
  at: string;
  actor: { id: string; name: string; account: { id: string; name: string; accountType: string } };
  object: { id: string; objectType: 'Case'; revision: number };
  details: unknown;
  request: { log: { correlationId: string } };
}

/** The audit trail records this caller may see, oldest first, with hidden details removed. */
export function presentAuditTrail(
  caseId: string,
  history: readonly CaseHistoryEntry[],
  principal: Principal,
): AuditRecord[] {
  return history
    .filter((entry) => maySeeEvent(principal, entry))
    .map(({ eventId, revision, event, metadata }) => ({
      id: eventId,
      revision,
      event: event.type,
      at: metadata.occurredAt,
      actor: {
        id: metadata.actor.id,
        name: metadata.actor.name,
        account: {
          id: metadata.actor.accountId,
          name: metadata.actor.accountName,
          accountType: metadata.actor.accountType,
        },
      },
      object: { id: caseId, objectType: 'Case', revision },
      details: isOperations(principal) ? event.data : redactedDetails(event),
      request: { log: { correlationId: metadata.correlationId } },
    }));
}

function redactedDetails(event: CaseEvent): unknown {
  switch (event.type) {
    case 'CaseCreated':
    case 'CaseParametersChanged':
      return { ...event.data, parameters: event.data.parameters.filter(isVisibleToReporter) };
    default:
      return event.data;
  }
}
