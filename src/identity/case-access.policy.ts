import type { CaseCommand } from '../cases/domain/case.commands';
import type { CaseHistoryEntry } from '../cases/domain/case.history';
import type { ExistingCase } from '../cases/domain/case.state';
import type { Parameter } from '../cases/domain/case.values';
import { Forbidden } from '../common/http-errors';
import type { Principal } from './principal';

/**
 * SPEC section 5 as code. Operations see and do everything; clients and vendors see their own
 * account's cases only (another account's case is indistinguishable from a missing one), never
 * `awaiting`, and never a parameter hidden from the reporter.
 */
export const isOperations = (principal: Principal): boolean =>
  principal.accountType === 'operations';

export function maySeeCase(principal: Principal, accountId: string): boolean {
  return isOperations(principal) || principal.accountId === accountId;
}

export const isVisibleToReporter = (parameter: Parameter): boolean =>
  parameter.constraints?.visibleToReporter !== false;

/** Whether an event may appear in this caller's audit trail and audit object. */
export function maySeeEvent(principal: Principal, entry: CaseHistoryEntry): boolean {
  if (isOperations(principal)) return true;
  switch (entry.event.type) {
    case 'CaseAwaitingChanged':
      return false;
    case 'CaseParametersChanged':
      return entry.event.data.parameters.some(isVisibleToReporter);
    default:
      return true;
  }
}

const OPERATIONS_ONLY: ReadonlySet<CaseCommand['type']> = new Set([
  'TransferCase',
  'AssignCase',
  'QueryCase',
  'SetAwaiting',
]);

/** Checked once the caller is known to see the case; creation is checked at the edge. */
export function authorizeCaseCommand(
  principal: Principal,
  command: CaseCommand,
  state: ExistingCase,
): void {
  if (isOperations(principal)) return;
  if (OPERATIONS_ONLY.has(command.type)) {
    throw new Forbidden(`Only operations users may ${verb(command.type)} a case.`);
  }
  if (command.type === 'UpdateCase') {
    const { queue, assignee, awaiting } = command.data;
    const forbidden = [
      queue !== undefined && 'queue',
      assignee !== undefined && 'assignee',
      awaiting !== undefined && 'awaiting',
    ].filter(Boolean);
    if (forbidden.length)
      throw new Forbidden(`Only operations users may change ${forbidden.join(', ')}.`);
  }
  const parameters =
    command.type === 'UpdateCase' || command.type === 'ChangeParameters'
      ? command.data.parameters
      : undefined;
  if (parameters) authorizeParameterChanges(parameters, state);
}

function authorizeParameterChanges(changes: readonly Parameter[], state: ExistingCase): void {
  const current = new Map(state.parameters.map((p) => [p.id, p]));
  const hidden = changes.filter((change) => {
    const existing = current.get(change.id);
    return (
      !isVisibleToReporter(change) || (existing !== undefined && !isVisibleToReporter(existing))
    );
  });
  if (hidden.length) {
    throw new Forbidden(
      `Parameters not visible to the reporter can only be changed by operations users: ${hidden.map((p) => p.id).join(', ')}.`,
    );
  }
}

function verb(type: CaseCommand['type']): string {
  return {
    TransferCase: 'transfer',
    AssignCase: 'assign',
    QueryCase: 'query',
    SetAwaiting: 'set awaiting on',
  }[type as 'TransferCase'];
}

/** Creation rules: a client or vendor opens cases on its own account, as its own reporter. */
export function authorizeCreate(principal: Principal, accountId: string, reporterId: string): void {
  if (isOperations(principal)) return;
  if (accountId !== principal.accountId) {
    throw new Forbidden('Clients and vendors may only create cases on their own account.');
  }
  if (reporterId !== principal.id) {
    throw new Forbidden('Clients and vendors may only create cases as their own reporter.');
  }
}
