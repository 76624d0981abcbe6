import { isEventVisibleTo, type Audience } from '../access/case-access.policy';
import { eventDataFor } from '../access/case-visibility';
import type { CaseHistoryEntry } from '../domain/case.history';

/** One record of a case's audit trail (`GET /cases/{id}/audit`, the audit tool's `history`). */
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

/** The records this audience may see, oldest first, with hidden details removed. */
export function auditTrail(
  caseId: string,
  history: readonly CaseHistoryEntry[],
  audience: Audience,
): AuditRecord[] {
  return history
    .filter((entry) => isEventVisibleTo(audience, entry))
    .map((entry) => auditRecord(caseId, entry, audience));
}

export function auditRecord(
  caseId: string,
  { eventId, revision, event, metadata }: CaseHistoryEntry,
  audience: Audience,
): AuditRecord {
  return {
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
    details: eventDataFor(event, audience),
    request: { log: { correlationId: metadata.$correlationId } },
  };
}
