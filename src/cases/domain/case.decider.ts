import type {
  AssignCase,
  CaseCommand,
  ChangeParameters,
  CreateCase,
  QueryCase,
  SetAwaiting,
  TransferCase,
  UpdateCase,
} from './case.commands';
import { CaseAlreadyExists, CaseNotFound, CommandRefused } from './case.errors';
import type { CaseEvent } from './case.events';
import { evolve, type CaseState, type OpenCase } from './case.state';

/**
 * Decides which events a command produces in the given state. Pure: it throws a domain error
 * for a refused command and returns no events for a command that would change nothing.
 */
export function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  if (command.type === 'CreateCase') return create(command, state);
  if (state.status === 'None') throw new CaseNotFound(command.caseId);
  if (state.status === 'Completed') {
    throw new CommandRefused(
      `Case ${state.caseId} is Completed; a completed case accepts no commands.`,
    );
  }
  switch (command.type) {
    case 'TransferCase':
      return transfer(command, state);
    case 'AssignCase':
      return assign(command, state);
    case 'QueryCase':
      return query(command, state);
    case 'ProcessCase':
      return process(state);
    case 'CompleteCase':
      return [{ type: 'CaseCompleted', data: {} }];
    case 'SetAwaiting':
      return setAwaiting(command, state);
    case 'ChangeParameters':
      return changeParameters(command, state);
    case 'UpdateCase':
      return update(command, state);
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

function create({ caseId, data }: CreateCase, state: CaseState): CaseEvent[] {
  if (state.status !== 'None') throw new CaseAlreadyExists(state.caseId);
  const { chatId, queue, account, reporter, assignee, parameters, openingMessage } = data;
  return [
    {
      type: 'CaseCreated',
      data: {
        caseId,
        chat: { id: chatId, type: 'case' },
        queue,
        account,
        reporter,
        assignee: assignee ?? null,
        parameters: dedupeById(parameters ?? []),
        ...(openingMessage !== undefined ? { openingMessage } : {}),
      },
    },
  ];
}

function transfer({ data }: TransferCase, state: OpenCase): CaseEvent[] {
  if (data.queue.id === state.queue.id) return [];
  return [{ type: 'CaseTransferred', data: { from: state.queue, to: data.queue } }];
}

function assign({ data }: AssignCase, state: OpenCase): CaseEvent[] {
  const previousAssignee = state.assignee;
  if (data.assignee === null) {
    return previousAssignee ? [{ type: 'CaseUnassigned', data: { previousAssignee } }] : [];
  }
  if (previousAssignee?.id === data.assignee.id) return [];
  return [{ type: 'CaseAssigned', data: { assignee: data.assignee, previousAssignee } }];
}

function query({ data }: QueryCase, state: OpenCase): CaseEvent[] {
  if (state.status !== 'Processing') {
    throw new CommandRefused(
      `Case ${state.caseId} is already Querying; only a Processing case can be queried.`,
    );
  }
  return [{ type: 'CaseQueried', data: { queryPrompt: data.queryPrompt ?? null } }];
}

function process(state: OpenCase): CaseEvent[] {
  if (state.status !== 'Querying') {
    throw new CommandRefused(
      `Case ${state.caseId} is Processing; only a Querying case can be processed.`,
    );
  }
  return [{ type: 'CaseResumed', data: {} }];
}

function setAwaiting({ data }: SetAwaiting, state: OpenCase): CaseEvent[] {
  if (data.awaiting === state.awaiting) return [];
  return [{ type: 'CaseAwaitingChanged', data: { awaiting: data.awaiting } }];
}

function changeParameters({ data }: ChangeParameters, state: OpenCase): CaseEvent[] {
  const current = new Map(state.parameters.map((p) => [p.id, p]));
  const changed = dedupeById(data.parameters).filter((p) => !sameJson(current.get(p.id), p));
  return changed.length ? [{ type: 'CaseParametersChanged', data: { parameters: changed } }] : [];
}

/** Each part is decided on the state the previous parts produced, in the order of the spec. */
function update({ data }: UpdateCase, state: OpenCase): CaseEvent[] {
  const { caseId } = state;
  const parts: CaseCommand[] = [];
  if (data.queue !== undefined)
    parts.push({ type: 'TransferCase', caseId, data: { queue: data.queue } });
  if (data.assignee !== undefined) {
    parts.push({ type: 'AssignCase', caseId, data: { assignee: data.assignee } });
  }
  if (data.awaiting !== undefined) {
    parts.push({ type: 'SetAwaiting', caseId, data: { awaiting: data.awaiting } });
  }
  if (data.parameters !== undefined) {
    parts.push({ type: 'ChangeParameters', caseId, data: { parameters: data.parameters } });
  }
  const events: CaseEvent[] = [];
  let current: CaseState = state;
  for (const part of parts) {
    const decided = decide(part, current);
    events.push(...decided);
    current = decided.reduce(evolve, current);
  }
  return events;
}

/** When a body names one id twice, the last occurrence wins, as it would in a map. */
function dedupeById<T extends { id: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}

/**
 * Whether two JSON values are equal: same members (in any order), same items, same primitives.
 * Parameters arrive from a request body or from stored events, so only their JSON matters, not
 * which parser or realm built the objects.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    aKeys.length === bKeys.length &&
    aKeys.every((k) =>
      sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}
