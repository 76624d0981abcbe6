import type { CaseCommand, UpdateCase } from '../../../src/cases/domain/case.commands';
import {
  CASE_EVENT_SCHEMA_VERSION,
  type CaseCreated,
  type CaseEvent,
} from '../../../src/cases/domain/case.events';
import type { CaseHistoryEntry } from '../../../src/cases/domain/case.history';
import type { Actor, Assignee, Parameter, Queue } from '../../../src/cases/domain/case.values';

/** One case, its people, queues and parameters, as the domain specs share them. */

export const caseId = 'CAS-1234-5678-9012';
export const chatId = 'CHT-1111-2222-3333';
export const onboarding: Queue = {
  id: 'HQU-1234-1234',
  name: 'Business Onboarding',
  workflow: 'HWF-1234-4568',
};
export const billing: Queue = { id: 'HQU-5678-5678', name: 'Billing', workflow: 'HWF-1234-4569' };
export const stark = { id: 'ACC-6685-9632', name: 'Stark Industries' };
export const jane = { id: 'USR-6375-2500', name: 'Jane Doe' };
export const will: Assignee = {
  id: 'USR-6375-2499',
  email: 'will@example.com',
  firstName: 'Will',
  lastName: 'Smith',
};
export const ada: Assignee = {
  id: 'USR-6375-2501',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Byron',
};
export const prompt = 'Can you please fill in the form with the required information?';

/** Jane, the reporter, as the actor of what she does: a client of Stark Industries. */
export const janeActor: Actor = {
  id: jane.id,
  name: jane.name,
  accountId: stark.id,
  accountName: stark.name,
  accountType: 'client',
};
/** Will, the assignee, as the actor of what he does: an operations user. */
export const willActor: Actor = {
  id: will.id,
  name: 'Will Smith',
  accountId: 'ACC-0000-0001',
  accountName: 'Helpdesk Operations',
  accountType: 'operations',
};

export const priority = (value: string): Parameter => ({
  id: 'PAR-1344-4634',
  name: 'Priority',
  scope: 'Case',
  phase: 'request',
  constraints: { visibleToReporter: true },
  externalId: 'ext-id-1234',
  value,
});
export const region: Parameter = {
  id: 'PAR-2000-0001',
  name: 'Region',
  scope: 'Case',
  value: 'EMEA',
};
export const regionApac: Parameter = { ...region, value: 'APAC' };
/** Hidden from the reporter: only operations see or change it. */
export const internalScore = (value: number): Parameter => ({
  id: 'PAR-9000-0001',
  name: 'Internal score',
  constraints: { visibleToReporter: false },
  value,
});
export const segment: Parameter = {
  id: 'PAR-2000-0002',
  name: 'Segment',
  scope: 'Case',
  value: 'SMB',
};

// Commands

type CreateData = Partial<Extract<CaseCommand, { type: 'CreateCase' }>['data']>;

export const createCase = (data: CreateData = {}): CaseCommand => ({
  type: 'CreateCase',
  caseId,
  data: { chatId, queue: onboarding, account: stark, reporter: jane, ...data },
});
export const transferCase = (queue: Queue): CaseCommand => ({
  type: 'TransferCase',
  caseId,
  data: { queue },
});
export const assignCase = (assignee: Assignee | null): CaseCommand => ({
  type: 'AssignCase',
  caseId,
  data: { assignee },
});
export const queryCase = (queryPrompt?: string): CaseCommand => ({
  type: 'QueryCase',
  caseId,
  data: queryPrompt === undefined ? {} : { queryPrompt },
});
export const processCase = (): CaseCommand => ({ type: 'ProcessCase', caseId, data: {} });
export const completeCase = (): CaseCommand => ({ type: 'CompleteCase', caseId, data: {} });
export const setAwaiting = (awaiting: boolean): CaseCommand => ({
  type: 'SetAwaiting',
  caseId,
  data: { awaiting },
});
export const changeParameters = (...parameters: Parameter[]): CaseCommand => ({
  type: 'ChangeParameters',
  caseId,
  data: { parameters },
});
export const updateCase = (data: UpdateCase['data']): CaseCommand => ({
  type: 'UpdateCase',
  caseId,
  data,
});

// Events

export function caseCreated(data: Partial<CaseCreated['data']> = {}): CaseCreated {
  return {
    type: 'CaseCreated',
    data: {
      caseId,
      chat: { id: chatId, type: 'case' },
      queue: onboarding,
      account: stark,
      reporter: jane,
      assignee: null,
      parameters: [],
      ...data,
    },
  };
}
export const opened: CaseEvent = caseCreated();
export const openedWith = (parameters: Parameter[]): CaseEvent => caseCreated({ parameters });
export const transferred: CaseEvent = {
  type: 'CaseTransferred',
  data: { from: onboarding, to: billing },
};
export const transferredBack: CaseEvent = {
  type: 'CaseTransferred',
  data: { from: billing, to: onboarding },
};
export const assigned = (assignee: Assignee): CaseEvent => ({
  type: 'CaseAssigned',
  data: { assignee, previousAssignee: null },
});
export const unassigned = (previousAssignee: Assignee): CaseEvent => ({
  type: 'CaseUnassigned',
  data: { previousAssignee },
});
export const queried: CaseEvent = { type: 'CaseQueried', data: { queryPrompt: prompt } };
export const queriedWithoutPrompt: CaseEvent = { type: 'CaseQueried', data: { queryPrompt: null } };
export const resumed: CaseEvent = { type: 'CaseResumed', data: {} };
export const completed: CaseEvent = { type: 'CaseCompleted', data: {} };
export const awaitingChanged = (awaiting: boolean): CaseEvent => ({
  type: 'CaseAwaitingChanged',
  data: { awaiting },
});
export const parametersChanged = (...parameters: Parameter[]): CaseEvent => ({
  type: 'CaseParametersChanged',
  data: { parameters },
});

// Histories: events with who did them and when

/** The n-th event of a history happened n minutes after the first. */
export const at = (n: number) => new Date(Date.UTC(2026, 10, 24, 10, n)).toISOString();
export const entryBy = (actor: Actor, n: number) => ({
  at: at(n),
  by: { id: actor.id, name: actor.name },
  of: { id: actor.accountId, name: actor.accountName },
});

export type Step = CaseEvent | { actor: Actor; event: CaseEvent };
/** An event done by someone other than Jane. */
export const by = (actor: Actor, event: CaseEvent): Step => ({ actor, event });

/** Each step recorded as Jane's unless {@link by} names another actor. */
export function history(...steps: Step[]): CaseHistoryEntry[] {
  return steps.map((step, n) => {
    const { actor, event } = 'type' in step ? { actor: janeActor, event: step } : step;
    return {
      eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      revision: n + 1,
      event,
      metadata: {
        schemaVersion: CASE_EVENT_SCHEMA_VERSION,
        occurredAt: at(n),
        actor,
        $correlationId: `corr-${n}`,
        $causationId: `cause-${n}`,
      },
    };
  });
}
