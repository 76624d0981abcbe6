import type { Account, Assignee, Parameter, Queue, Reporter } from './case.values';

/**
 * Commands carry everything a decision needs. Ids are generated at the edge; time and the
 * actor live in event metadata, so the domain never reads a clock.
 */
export type CreateCase = Readonly<{
  type: 'CreateCase';
  data: Readonly<{
    caseId: string;
    chatId: string;
    queue: Queue;
    account: Account;
    reporter: Reporter;
    assignee?: Assignee | null;
    parameters?: readonly Parameter[];
    openingMessage?: string;
  }>;
}>;

export type TransferCase = Readonly<{ type: 'TransferCase'; data: Readonly<{ queue: Queue }> }>;

/** `assignee: null` unassigns. */
export type AssignCase = Readonly<{
  type: 'AssignCase';
  data: Readonly<{ assignee: Assignee | null }>;
}>;

export type QueryCase = Readonly<{
  type: 'QueryCase';
  data: Readonly<{ queryPrompt?: string | null }>;
}>;

export type ProcessCase = Readonly<{ type: 'ProcessCase'; data: Readonly<Record<string, never>> }>;

export type CompleteCase = Readonly<{ type: 'CompleteCase'; data: Readonly<Record<string, never>> }>;

export type SetAwaiting = Readonly<{ type: 'SetAwaiting'; data: Readonly<{ awaiting: boolean }> }>;

/** Full parameter objects keyed by `id`: a known id replaces, a new id adds, others untouched. */
export type ChangeParameters = Readonly<{
  type: 'ChangeParameters';
  data: Readonly<{ parameters: readonly Parameter[] }>;
}>;

/**
 * A `PUT`: several changes decided together and appended atomically, in the order
 * transferred, assigned/unassigned, awaiting, parameters.
 */
export type UpdateCase = Readonly<{
  type: 'UpdateCase';
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
