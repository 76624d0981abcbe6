import type { CaseEvent } from './case.events';
import type { Account, Assignee, Chat, Parameter, Queue, Reporter } from './case.values';

interface CaseFields {
  readonly caseId: string;
  readonly chat: Chat;
  readonly queue: Queue;
  readonly account: Account;
  readonly reporter: Reporter;
  readonly assignee: Assignee | null;
  readonly parameters: readonly Parameter[];
  readonly awaiting: boolean;
}

export type NoCase = Readonly<{ status: 'None' }>;
export type ProcessingCase = CaseFields & Readonly<{ status: 'Processing' }>;
export type QueryingCase = CaseFields &
  Readonly<{ status: 'Querying'; queryPrompt: string | null }>;
export type CompletedCase = CaseFields & Readonly<{ status: 'Completed' }>;

export type OpenCase = ProcessingCase | QueryingCase;
export type ExistingCase = OpenCase | CompletedCase;
export type CaseState = NoCase | ExistingCase;

export const initialState: CaseState = { status: 'None' };

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === 'CaseCreated') {
    const { caseId, chat, queue, account, reporter, assignee, parameters } = event.data;
    return {
      status: 'Processing',
      caseId,
      chat,
      queue,
      account,
      reporter,
      assignee,
      parameters,
      awaiting: false,
    };
  }
  if (state.status === 'None') return state;
  const fields = withoutQueryPrompt(state);
  switch (event.type) {
    case 'CaseTransferred':
      return { ...state, queue: event.data.to };
    case 'CaseAssigned':
      return { ...state, assignee: event.data.assignee };
    case 'CaseUnassigned':
      return { ...state, assignee: null };
    case 'CaseQueried':
      return { ...fields, status: 'Querying', queryPrompt: event.data.queryPrompt };
    case 'CaseResumed':
      return { ...fields, status: 'Processing' };
    case 'CaseCompleted':
      return { ...fields, status: 'Completed' };
    case 'CaseAwaitingChanged':
      return { ...state, awaiting: event.data.awaiting };
    case 'CaseParametersChanged':
      return { ...state, parameters: mergeParameters(state.parameters, event.data.parameters) };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** A known id replaces that parameter in place, a new id is appended, others are untouched. */
export function mergeParameters(
  current: readonly Parameter[],
  changes: readonly Parameter[],
): readonly Parameter[] {
  const byId = new Map(changes.map((p) => [p.id, p]));
  const merged = current.map((p) => byId.get(p.id) ?? p);
  const known = new Set(current.map((p) => p.id));
  return [...merged, ...changes.filter((p) => !known.has(p.id))];
}

function withoutQueryPrompt(state: ExistingCase): CaseFields {
  if (state.status !== 'Querying') return state;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { queryPrompt, ...fields } = state;
  return fields;
}
