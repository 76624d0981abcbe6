import type { CaseEvent } from './case.events';

/**
 * What judging the next event of a stored history needs to know about the case so far. It is
 * deliberately much smaller than `CaseState`: the audit tool keeps one per case stream while it
 * walks every event in global order, so a million cases must still fit in a few tens of MB.
 * `Unknown` is a stream that did not start with `CaseCreated`: its later events cannot be
 * judged, and reporting each of them would only repeat the first anomaly.
 */
export type CaseHistoryCheckState =
  | Readonly<{ status: 'None' }>
  | Readonly<{ status: 'Unknown' }>
  | Readonly<{ status: 'Completed' }>
  | Readonly<{
      status: 'Processing' | 'Querying';
      queueId: string;
      assigneeId: string | null;
      awaiting: boolean;
    }>;

export const initialHistoryCheckState: CaseHistoryCheckState = { status: 'None' };

export interface HistoryCheckStep {
  readonly state: CaseHistoryCheckState;
  /** Why `decide` would never have produced this event in this state; absent when it would. */
  readonly anomaly?: string;
}

/**
 * Judges one stored event against the rules `decide` enforces, then steps the state on as
 * `evolve` would (even past an anomaly, so one bad event is reported once, not as a cascade).
 * `caseId` is the id the stream name carries; a creation must name the same case.
 */
export function checkCaseEvent(
  state: CaseHistoryCheckState,
  event: CaseEvent,
  caseId: string,
): HistoryCheckStep {
  if (state.status === 'Unknown') return { state };
  if (event.type === 'CaseCreated') {
    const created = openState(event);
    if (state.status !== 'None') {
      return {
        state: created,
        anomaly: `CaseCreated on a case that already exists (${state.status})`,
      };
    }
    if (event.data.caseId !== caseId) {
      return {
        state: created,
        anomaly: `CaseCreated names case ${event.data.caseId}, not ${caseId}`,
      };
    }
    return { state: created };
  }
  if (state.status === 'None') {
    return { state: { status: 'Unknown' }, anomaly: `${event.type} before CaseCreated` };
  }
  if (state.status === 'Completed') {
    return {
      state,
      anomaly: `${event.type} after CaseCompleted; a completed case accepts no commands`,
    };
  }
  return checkOpenCaseEvent(state, event);
}

type OpenCheckState = Extract<CaseHistoryCheckState, { queueId: string }>;

function checkOpenCaseEvent(
  state: OpenCheckState,
  event: Exclude<CaseEvent, { type: 'CaseCreated' }>,
): HistoryCheckStep {
  switch (event.type) {
    case 'CaseTransferred': {
      const next = { ...state, queueId: event.data.to.id };
      if (event.data.from.id !== state.queueId) {
        return {
          state: next,
          anomaly: `CaseTransferred from ${event.data.from.id}, but the case is in ${state.queueId}`,
        };
      }
      if (event.data.to.id === state.queueId) {
        return {
          state: next,
          anomaly: `CaseTransferred to ${state.queueId}, the queue it is already in`,
        };
      }
      return { state: next };
    }
    case 'CaseAssigned': {
      const next = { ...state, assigneeId: event.data.assignee.id };
      const previous = event.data.previousAssignee?.id ?? null;
      if (previous !== state.assigneeId) {
        return {
          state: next,
          anomaly: `CaseAssigned says the previous assignee was ${previous ?? 'nobody'}, but it was ${state.assigneeId ?? 'nobody'}`,
        };
      }
      if (event.data.assignee.id === state.assigneeId) {
        return {
          state: next,
          anomaly: `CaseAssigned to ${state.assigneeId}, who is already the assignee`,
        };
      }
      return { state: next };
    }
    case 'CaseUnassigned': {
      const next = { ...state, assigneeId: null };
      if (state.assigneeId === null) {
        return { state: next, anomaly: 'CaseUnassigned on a case that has no assignee' };
      }
      if (event.data.previousAssignee.id !== state.assigneeId) {
        return {
          state: next,
          anomaly: `CaseUnassigned says the previous assignee was ${event.data.previousAssignee.id}, but it was ${state.assigneeId}`,
        };
      }
      return { state: next };
    }
    case 'CaseQueried':
      return state.status === 'Processing'
        ? { state: { ...state, status: 'Querying' } }
        : {
            state,
            anomaly: 'CaseQueried on a Querying case; only a Processing case can be queried',
          };
    case 'CaseResumed':
      return state.status === 'Querying'
        ? { state: { ...state, status: 'Processing' } }
        : {
            state,
            anomaly: 'CaseResumed on a Processing case; only a Querying case can be processed',
          };
    case 'CaseCompleted':
      return { state: { status: 'Completed' } };
    case 'CaseAwaitingChanged': {
      const next = { ...state, awaiting: event.data.awaiting };
      return event.data.awaiting === state.awaiting
        ? {
            state: next,
            anomaly: `CaseAwaitingChanged to ${String(state.awaiting)}, which it already was`,
          }
        : { state: next };
    }
    case 'CaseParametersChanged':
      // Whether a value really changed needs every parameter's value, which this state does not
      // keep (see above); the schema already refuses an empty change.
      return { state };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function openState(event: Extract<CaseEvent, { type: 'CaseCreated' }>): CaseHistoryCheckState {
  return {
    status: 'Processing',
    queueId: event.data.queue.id,
    assigneeId: event.data.assignee?.id ?? null,
    awaiting: false,
  };
}
