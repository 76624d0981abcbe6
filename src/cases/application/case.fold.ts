import { AUDIENCES, isEventVisibleTo, type Audience } from '../access/case-access.policy';
import type { CaseHistoryEntry } from '../domain/case.history';
import { evolve, initialState, type CaseState } from '../domain/case.state';
import { auditAfter, caseViewOf, type CaseAudit, type CaseView } from '../domain/case.view';

/** A request made with an `Idempotency-Key`, as far as a retry of it needs to know. */
export interface IdempotentRequest {
  readonly requestHash: string | undefined;
  /** The revision its last event produced: a retry answers with the case as of then. */
  readonly lastRevision: number;
}

/**
 * Everything a command or a read needs of a case, folded once from its events: the state the
 * decider takes, the audit object each audience may see, and the idempotency keys used so far
 * (so a retry is recognised without scanning the history).
 */
export interface CaseFold {
  readonly caseId: string;
  /** 0 before the first event; the case's revision after it. */
  readonly revision: number;
  /** Global position of the last event folded; undefined before the first. */
  readonly position: bigint | undefined;
  readonly state: CaseState;
  readonly audits: Readonly<Record<Audience, CaseAudit>>;
  readonly requests: ReadonlyMap<string, IdempotentRequest>;
}

/**
 * The shape of a {@link CaseFold} and the rules that fill it. Snapshots of folds are stored
 * with this version and a snapshot of another version is ignored (the case is read in full and
 * snapshotted anew). Bump it whenever a snapshot of the old code would fold differently from a
 * replay by the new code: a change to `CaseFold`, `CaseState` or `evolve`, the audit fold
 * (`auditAfter`, `CaseAudit`), who sees which event (`isEventVisibleTo`), the idempotency map,
 * or an upcaster that changes what old events mean. Appending new fields that a replay would
 * fill differently counts too; when in doubt, bump: the price is one full read per case.
 */
export const CASE_FOLD_VERSION = 1;

export const emptyCaseFold = (caseId: string): CaseFold => ({
  caseId,
  revision: 0,
  position: undefined,
  state: initialState,
  audits: { operations: {}, account: {} },
  requests: new Map(),
});

/** Where a caller's idempotency key is kept: keys belong to the caller who sent them. */
export const requestKey = (actorId: string, idempotencyKey: string): string =>
  `${actorId}\n${idempotencyKey}`;

/**
 * `fold` after `entries`, which must continue it revision by revision. The idempotency map is
 * copied once per call, not per event, so folding a long history stays linear.
 */
export function foldCase(
  fold: CaseFold,
  entries: readonly (CaseHistoryEntry & { readonly position?: bigint })[],
): CaseFold {
  if (entries.length === 0) return fold;
  let { state, audits, position } = fold;
  let requests: Map<string, IdempotentRequest> | undefined;
  for (const entry of entries) {
    state = evolve(state, entry.event);
    audits = auditsAfter(audits, entry);
    position = entry.position ?? position;
    const { idempotencyKey, requestHash, actor } = entry.metadata;
    if (idempotencyKey === undefined) continue;
    requests ??= new Map(fold.requests);
    const key = requestKey(actor.id, idempotencyKey);
    const earlier = requests.get(key);
    requests.set(key, {
      requestHash: earlier?.requestHash ?? requestHash,
      lastRevision: entry.revision,
    });
  }
  return {
    caseId: fold.caseId,
    revision: entries[entries.length - 1]!.revision,
    position,
    state,
    audits,
    requests: requests ?? fold.requests,
  };
}

function auditsAfter(audits: CaseFold['audits'], entry: CaseHistoryEntry): CaseFold['audits'] {
  const next = { ...audits };
  for (const audience of AUDIENCES) {
    if (isEventVisibleTo(audience, entry)) next[audience] = auditAfter(audits[audience], entry);
  }
  return next;
}

/** The Case resource in full, with the audit object this audience may see; null before creation. */
export function caseViewFor(fold: CaseFold, audience: Audience): CaseView | null {
  return caseViewOf({ state: fold.state, revision: fold.revision, audit: fold.audits[audience] });
}

export const existsIn = (
  fold: CaseFold,
): fold is CaseFold & { state: Exclude<CaseState, { status: 'None' }> } =>
  fold.state.status !== 'None';
