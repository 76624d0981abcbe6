import { AUDIENCES } from '../access/case-access.policy';
import type { CaseFold, IdempotentRequest } from './case.fold';

/**
 * The one pair of functions that turn a case fold into what a snapshot stores and back. Async
 * so that sealing (encrypting the personal data a fold holds, as the events' personal fields
 * are) can be plugged in here without touching the callers. `decode` answers undefined for
 * anything it cannot vouch for: a snapshot is only an optimisation, so the caller reads the
 * events instead.
 */
export interface CaseSnapshotCodec {
  /** Undefined when this fold is not to be snapshotted at all (nothing is written then). */
  encode(fold: CaseFold): Promise<string | undefined>;
  decode(text: string, caseId: string): Promise<CaseFold | undefined>;
}

/** The fold as JSON: the position as a decimal string, the idempotency map as entry pairs. */
interface SnapshotJson {
  readonly caseId: string;
  readonly revision: number;
  readonly position: string | null;
  readonly state: CaseFold['state'];
  readonly audits: CaseFold['audits'];
  readonly requests: readonly (readonly [string, IdempotentRequest])[];
}

/** The JSON codec snapshots every fold it is given. */
interface JsonCaseSnapshotCodec extends CaseSnapshotCodec {
  encode(fold: CaseFold): Promise<string>;
}

export const jsonCaseSnapshotCodec: JsonCaseSnapshotCodec = {
  encode(fold) {
    const json: SnapshotJson = {
      caseId: fold.caseId,
      revision: fold.revision,
      position: fold.position === undefined ? null : fold.position.toString(),
      state: fold.state,
      audits: fold.audits,
      requests: [...fold.requests],
    };
    return Promise.resolve(JSON.stringify(json));
  },

  decode(text, caseId) {
    try {
      return Promise.resolve(foldOf(JSON.parse(text) as unknown, caseId));
    } catch {
      return Promise.resolve(undefined);
    }
  },
};

/**
 * The fold a parsed snapshot holds, checked as far as its frame goes (the fold version stored
 * with it vouches for the shape of the state and audits inside).
 */
function foldOf(value: unknown, caseId: string): CaseFold | undefined {
  if (!isObject(value)) return undefined;
  const { revision, position, state, audits, requests } = value;
  if (value.caseId !== caseId || !Number.isSafeInteger(revision) || (revision as number) < 1) {
    return undefined;
  }
  if (typeof position !== 'string' || !/^\d+$/.test(position)) return undefined;
  if (!isObject(state) || typeof state.status !== 'string' || state.status === 'None') {
    return undefined;
  }
  if (!isObject(audits) || !AUDIENCES.every((audience) => isObject(audits[audience]))) {
    return undefined;
  }
  if (!Array.isArray(requests)) return undefined;
  const map = new Map<string, IdempotentRequest>();
  for (const entry of requests as unknown[]) {
    const request = requestOf(entry);
    if (!request) return undefined;
    map.set(request[0], request[1]);
  }
  return {
    caseId,
    revision: revision as number,
    position: BigInt(position),
    state: state as unknown as CaseFold['state'],
    audits: audits as unknown as CaseFold['audits'],
    requests: map,
  };
}

function requestOf(entry: unknown): [string, IdempotentRequest] | undefined {
  if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') return undefined;
  const request: unknown = entry[1];
  if (!isObject(request) || !Number.isSafeInteger(request.lastRevision)) return undefined;
  const { requestHash } = request;
  if (requestHash !== undefined && typeof requestHash !== 'string') return undefined;
  return [entry[0], { requestHash, lastRevision: request.lastRevision as number }];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
