import type { CaseEventType } from './case.events';
import type { CaseHistoryEntry } from './case.history';
import { evolve, initialState, type CaseState, type ExistingCase } from './case.state';
import type {
  Account,
  Assignee,
  CaseStatus,
  Chat,
  Parameter,
  Queue,
  Reporter,
} from './case.values';

export interface AuditEntry {
  readonly at: string;
  readonly by: { readonly id: string; readonly name: string };
  readonly of: { readonly id: string; readonly name: string };
}

export type AuditKey =
  | 'created'
  | 'updated'
  | 'transferred'
  | 'assigned'
  | 'queried'
  | 'processed'
  | 'completed'
  | 'awaitingChanged';

export type CaseAudit = Partial<Record<AuditKey, AuditEntry>>;

/** The Case resource in full, as operations see it. Presenters narrow it per caller. */
export interface CaseView {
  readonly id: string;
  readonly revision: number;
  readonly status: CaseStatus;
  readonly awaiting: boolean;
  readonly queryPrompt?: string | null;
  readonly queue: Queue;
  readonly assignee: Assignee | null;
  readonly account: Account;
  readonly reporter: Reporter;
  readonly chat: Chat;
  readonly parameters: readonly Parameter[];
  readonly audit: CaseAudit;
}

const AUDIT_KEY: Record<CaseEventType, AuditKey> = {
  CaseCreated: 'created',
  CaseTransferred: 'transferred',
  CaseAssigned: 'assigned',
  CaseUnassigned: 'assigned',
  CaseQueried: 'queried',
  CaseResumed: 'processed',
  CaseCompleted: 'completed',
  CaseAwaitingChanged: 'awaitingChanged',
  CaseParametersChanged: 'updated',
};

/** What folding a history so far has gathered: enough to step on one event at a time. */
export interface CaseViewFold {
  readonly state: CaseState;
  readonly revision: number;
  readonly audit: CaseAudit;
}

export const emptyCaseViewFold: CaseViewFold = { state: initialState, revision: 0, audit: {} };

/**
 * Folds a history into the Case resource. The state folds every event; the audit object only
 * the events `isVisible` accepts, so a caller's audit never reveals an event hidden from it.
 */
export function foldCaseView(
  history: Iterable<CaseHistoryEntry>,
  isVisible: (entry: CaseHistoryEntry) => boolean = () => true,
): CaseView | null {
  let fold = emptyCaseViewFold;
  for (const entry of history) fold = stepCaseView(fold, entry, isVisible);
  return caseViewOf(fold);
}

/** One event further; read models keep the fold and step it as events arrive. */
export function stepCaseView(
  fold: CaseViewFold,
  entry: CaseHistoryEntry,
  isVisible: (entry: CaseHistoryEntry) => boolean = () => true,
): CaseViewFold {
  const state = evolve(fold.state, entry.event);
  const audit = isVisible(entry) ? auditAfter(fold.audit, entry) : fold.audit;
  return { state, revision: entry.revision, audit };
}

/** The audit object once `entry` happened: its own key and `updated` name who and when. */
export function auditAfter(audit: CaseAudit, entry: CaseHistoryEntry): CaseAudit {
  const at = auditEntry(entry);
  return { ...audit, [AUDIT_KEY[entry.event.type]]: at, updated: at };
}

export function caseViewOf({ state, revision, audit }: CaseViewFold): CaseView | null {
  return state.status === 'None' ? null : toView(state, revision, audit);
}

function auditEntry({ metadata }: CaseHistoryEntry): AuditEntry {
  const { actor, occurredAt } = metadata;
  return {
    at: occurredAt,
    by: { id: actor.id, name: actor.name },
    of: { id: actor.accountId, name: actor.accountName },
  };
}

function toView(state: ExistingCase, revision: number, audit: CaseAudit): CaseView {
  return {
    id: state.caseId,
    revision,
    status: state.status,
    awaiting: state.awaiting,
    ...(state.status === 'Querying' ? { queryPrompt: state.queryPrompt } : {}),
    queue: state.queue,
    assignee: state.assignee,
    account: state.account,
    reporter: state.reporter,
    chat: state.chat,
    parameters: state.parameters,
    audit: orderAudit(audit),
  };
}

/** The audit object's keys, in the order it shows them. */
export const AUDIT_ORDER: readonly AuditKey[] = [
  'created',
  'updated',
  'transferred',
  'assigned',
  'queried',
  'processed',
  'completed',
  'awaitingChanged',
];

function orderAudit(audit: CaseAudit): CaseAudit {
  const ordered: Record<string, AuditEntry> = {};
  for (const key of AUDIT_ORDER) if (audit[key]) ordered[key] = audit[key];
  return ordered;
}
