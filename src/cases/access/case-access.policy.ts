import type { CaseCommand } from '../domain/case.commands';
import type { CaseHistoryEntry } from '../domain/case.history';
import type { ExistingCase } from '../domain/case.state';
import type { Parameter } from '../domain/case.values';
import { CommandForbidden } from './case-access.errors';

/**
 * SPEC section 5 as code, by audience. Operations see and do everything. Every other caller
 * who may see a case (a client or vendor of its account) sees the same thing: never `awaiting`,
 * never a parameter hidden from the reporter, never an event about either.
 */
export type Audience = 'operations' | 'account';

export const AUDIENCES: readonly Audience[] = ['operations', 'account'];

/** What the access rules need to know of a caller. */
export interface Caller {
  readonly id: string;
  readonly accountId: string;
  readonly accountType: string;
}

export const audienceOf = (caller: Pick<Caller, 'accountType'>): Audience =>
  caller.accountType === 'operations' ? 'operations' : 'account';

/** Another account's case is indistinguishable from a missing one. */
export function maySeeCase(caller: Caller, accountId: string): boolean {
  return audienceOf(caller) === 'operations' || caller.accountId === accountId;
}

export const isVisibleToReporter = (parameter: Parameter): boolean =>
  parameter.constraints?.visibleToReporter !== false;

/** Whether an event may appear in this audience's audit trail and audit object. */
export function isEventVisibleTo(audience: Audience, entry: CaseHistoryEntry): boolean {
  if (audience === 'operations') return true;
  switch (entry.event.type) {
    case 'CaseAwaitingChanged':
      return false;
    case 'CaseParametersChanged':
      return entry.event.data.parameters.some(isVisibleToReporter);
    default:
      return true;
  }
}

const OPERATIONS_ONLY: Partial<Record<CaseCommand['type'], string>> = {
  TransferCase: 'transfer',
  AssignCase: 'assign',
  QueryCase: 'query',
  SetAwaiting: 'set awaiting on',
};

/** Checked once the caller is known to see the case. */
export function authorizeCommand(caller: Caller, command: CaseCommand, state: ExistingCase): void {
  if (audienceOf(caller) === 'operations') return;
  const verb = OPERATIONS_ONLY[command.type];
  if (verb) throw new CommandForbidden(`Only operations users may ${verb} a case.`);
  if (command.type === 'UpdateCase') {
    const { queue, assignee, awaiting } = command.data;
    const forbidden = Object.entries({ queue, assignee, awaiting })
      .filter(([, value]) => value !== undefined)
      .map(([field]) => field);
    if (forbidden.length) {
      throw new CommandForbidden(`Only operations users may change ${forbidden.join(', ')}.`);
    }
  }
  if (command.type === 'UpdateCase' || command.type === 'ChangeParameters') {
    authorizeParameterChanges(command.data.parameters ?? [], state);
  }
}

/**
 * A parameter hidden from the reporter stays out of a client's or vendor's reach whichever way
 * the change names it: made visible in the change, or left without constraints.
 */
function authorizeParameterChanges(changes: readonly Parameter[], state: ExistingCase): void {
  const current = new Map(state.parameters.map((p) => [p.id, p]));
  const hidden = changes.filter((change) => {
    const existing = current.get(change.id);
    return (
      !isVisibleToReporter(change) || (existing !== undefined && !isVisibleToReporter(existing))
    );
  });
  if (hidden.length) {
    throw new CommandForbidden(
      `Parameters not visible to the reporter can only be changed by operations users: ${hidden.map((p) => p.id).join(', ')}.`,
    );
  }
}

/** Creation rules: a client or vendor opens cases on its own account, as its own reporter. */
export function authorizeCreate(caller: Caller, accountId: string, reporterId: string): void {
  if (audienceOf(caller) === 'operations') return;
  if (accountId !== caller.accountId) {
    throw new CommandForbidden('Clients and vendors may only create cases on their own account.');
  }
  if (reporterId !== caller.id) {
    throw new CommandForbidden('Clients and vendors may only create cases as their own reporter.');
  }
}
