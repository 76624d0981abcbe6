/** Value objects of the Case resource, exactly as they travel on the wire. */

export type CaseStatus = 'Processing' | 'Querying' | 'Completed';

export interface Queue {
  readonly id: string;
  readonly name?: string;
  readonly workflow?: string;
}

export interface Assignee {
  readonly id: string;
  readonly email?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** Only `"[erased]"` or `"[unreadable]"`, in place of the fields above, once they are lost. */
  readonly name?: string;
}

export interface Account {
  readonly id: string;
  readonly name?: string;
}

export interface Reporter {
  readonly id: string;
  readonly name?: string;
}

export interface Chat {
  readonly id: string;
  readonly type: 'case';
}

export interface ParameterConstraints {
  readonly visibleToReporter?: boolean;
}

export interface Parameter {
  readonly id: string;
  readonly name?: string;
  readonly scope?: string;
  readonly phase?: string;
  readonly constraints?: ParameterConstraints;
  readonly externalId?: string;
  readonly value?: unknown;
}

export type AccountType = 'operations' | 'client' | 'vendor';

/** Who did something: recorded in every event's metadata and shown in `audit`. */
export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly accountType: AccountType;
}
