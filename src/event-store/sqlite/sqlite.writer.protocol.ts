import type { ExpectedRevision } from '../event-store.port';

/**
 * Messages between the main thread and the writer thread. Everything here must survive the
 * structured clone (bigint does; class instances lose their prototype), so errors travel as
 * plain data and the main thread rebuilds the typed errors.
 */

export interface EventToWrite {
  readonly id: string;
  readonly type: string;
  /** JSON, serialised on the caller's side so a value JSON cannot hold fails the caller alone. */
  readonly data: string;
  readonly metadata: string;
}

export interface AppendRequest {
  readonly requestId: number;
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly EventToWrite[];
}

export type WriterError =
  | {
      readonly kind: 'WrongExpectedRevision';
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      readonly actual: bigint | undefined;
    }
  | { readonly kind: 'StoreUnavailable'; readonly message: string }
  | { readonly kind: 'Rejected'; readonly message: string };

export type AppendOutcome =
  | {
      readonly requestId: number;
      readonly ok: true;
      readonly nextExpectedRevision: bigint;
      readonly position: bigint;
    }
  | { readonly requestId: number; readonly ok: false; readonly error: WriterError };

export type ToWriter =
  | { readonly kind: 'append'; readonly request: AppendRequest }
  | { readonly kind: 'ping'; readonly pingId: number }
  | { readonly kind: 'close' };

export type FromWriter =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'committed'; readonly outcomes: readonly AppendOutcome[] }
  | { readonly kind: 'pong'; readonly pingId: number };

export interface WriterData {
  readonly file: string;
}
