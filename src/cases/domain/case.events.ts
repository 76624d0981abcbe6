import type { Account, Assignee, Chat, Parameter, Queue, Reporter } from './case.values';

export type CaseCreated = Readonly<{
  type: 'CaseCreated';
  data: Readonly<{
    caseId: string;
    chat: Chat;
    queue: Queue;
    account: Account;
    reporter: Reporter;
    assignee: Assignee | null;
    parameters: readonly Parameter[];
    /** The opening chat message (`chat.lastMessage.content` in the create body). */
    openingMessage?: string;
  }>;
}>;

export type CaseTransferred = Readonly<{
  type: 'CaseTransferred';
  data: Readonly<{ from: Queue; to: Queue }>;
}>;

export type CaseAssigned = Readonly<{
  type: 'CaseAssigned';
  data: Readonly<{ assignee: Assignee; previousAssignee: Assignee | null }>;
}>;

export type CaseUnassigned = Readonly<{
  type: 'CaseUnassigned';
  data: Readonly<{ previousAssignee: Assignee }>;
}>;

export type CaseQueried = Readonly<{
  type: 'CaseQueried';
  data: Readonly<{ queryPrompt: string | null }>;
}>;

export type CaseResumed = Readonly<{ type: 'CaseResumed'; data: Readonly<Record<string, never>> }>;

export type CaseCompleted = Readonly<{
  type: 'CaseCompleted';
  data: Readonly<Record<string, never>>;
}>;

export type CaseAwaitingChanged = Readonly<{
  type: 'CaseAwaitingChanged';
  data: Readonly<{ awaiting: boolean }>;
}>;

/** Carries only the parameters that were added or replaced, as full objects. */
export type CaseParametersChanged = Readonly<{
  type: 'CaseParametersChanged';
  data: Readonly<{ parameters: readonly Parameter[] }>;
}>;

export type CaseEvent =
  | CaseCreated
  | CaseTransferred
  | CaseAssigned
  | CaseUnassigned
  | CaseQueried
  | CaseResumed
  | CaseCompleted
  | CaseAwaitingChanged
  | CaseParametersChanged;

export type CaseEventType = CaseEvent['type'];

export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
  'CaseCreated',
  'CaseTransferred',
  'CaseAssigned',
  'CaseUnassigned',
  'CaseQueried',
  'CaseResumed',
  'CaseCompleted',
  'CaseAwaitingChanged',
  'CaseParametersChanged',
];

/**
 * Current `schemaVersion` written in every event's metadata. 3: personal fields may be sealed
 * (docs/personal-data.md); events stored at 0 to 2 are plaintext.
 */
export const CASE_EVENT_SCHEMA_VERSION = 3;
