import type { Account, Assignee, Parameter, Queue, Reporter } from './case.values';

/**
 * Every command names its case. Commands carry everything a decision needs. Ids are generated at the edge; time and the
 * actor live in event metadata, so the domain never reads a clock.
 */
export type CreateCase = Readonly<{
  type: 'CreateCase';
  caseId: string;
  data: Readonly<{
    chatId: string;
    queue: Queue;
    account: Account;
    reporter: Reporter;
    assignee?: Assignee | null;
    parameters?: readonly Parameter[];
    openingMessage?: string;
  }>;
}>;

export type TransferCase = Readonly<{
  type: 'TransferCase';
  caseId: string;
  data: Readonly<{ queue: Queue }>;
}>;

/** `assignee: null` unassigns. */
export type AssignCase = Readonly<{
  type: 'AssignCase';
  caseId: string;
  data: Readonly<{ assignee: Assignee | null }>;
}>;

export type QueryCase = Readonly<{
  type: 'QueryCase';
  caseId: string;
  data: Readonly<{ queryPrompt?: string | null }>;
}>;

export type ProcessCase = Readonly<{
  type: 'ProcessCase';
  caseId: string;
  data: Readonly<Record<string, never>>;
}>;

export type CompleteCase = Readonly<{
  type: 'CompleteCase';
  caseId: string;
  data: Readonly<Record<string, never>>;
}>;

export type SetAwaiting = Readonly<{
  type: 'SetAwaiting';
  caseId: string;
  data: Readonly<{ awaiting: boolean }>;
}>;

/** Full parameter objects keyed by `id`: a known id replaces, a new id adds, others untouched. */
export type ChangeParameters = Readonly<{
  type: 'ChangeParameters';
  caseId: string;
  data: Readonly<{ parameters: readonly Parameter[] }>;
}>;

/**
 * A `PUT`: several changes decided together and appended atomically, in the order
 * transferred, assigned/unassigned, awaiting, parameters.
 */
export type UpdateCase = Readonly<{
  type: 'UpdateCase';
  caseId: string;
  data: Readonly<{
    queue?: Queue;
    assignee?: Assignee | null;
    awaiting?: boolean;
    parameters?: readonly Parameter[];
  }>;
}>;

export type CaseCommand =
  | CreateCase
  | TransferCase
  | AssignCase
  | QueryCase
  | ProcessCase
  | CompleteCase
  | SetAwaiting
  | ChangeParameters
  | UpdateCase;

export type CaseCommandType = CaseCommand['type'];
