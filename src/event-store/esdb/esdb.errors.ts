/**
 * Translates what the EventStoreDB client throws into the port's errors. Anything that says
 * "the server cannot be reached or did not answer in time" becomes {@link StoreUnavailable};
 * the client itself drops its channel on those, so the next call connects afresh. A refused
 * password or a missing right becomes {@link StoreAccessDenied} naming what is missing, and an
 * append over the server's maximum size becomes {@link AppendTooLarge}.
 */
import {
  AccessDeniedError,
  ErrorType,
  MaxAppendSizeExceededError,
  WrongExpectedVersionError,
  isCommandError,
} from '@eventstore/db-client';
import {
  AppendTooLarge,
  StoreAccessDenied,
  StoreUnavailable,
  WrongExpectedRevision,
} from '../event-store.errors';
import type { ExpectedRevision } from '../event-store.port';

/** gRPC status codes for failures that say nothing about the request itself. */
const TRANSIENT_GRPC_CODES = new Set([
  1, // CANCELLED, by the server
  4, // DEADLINE_EXCEEDED
  10, // ABORTED, what the server answers on its own timeouts
  14, // UNAVAILABLE
]);
const UNAUTHENTICATED = 16;

const TRANSIENT_TYPES: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.CANCELLED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
]);

/** What a call was doing, so an error can say which right it lacked. */
export interface StoreCall {
  /** The right the call needs, e.g. "read access to $all". */
  readonly needs: string;
  readonly append?: { readonly streamId: string; readonly expected: ExpectedRevision };
}

export const READ_ALL: StoreCall = {
  needs: 'read access to $all (a member of $admins, or a user the $all ACL grants $r)',
};

export function isTransient(error: unknown): boolean {
  if (error instanceof StoreUnavailable) return true;
  if (error instanceof Error && isCommandError(error)) return TRANSIENT_TYPES.has(error.type);
  const code = (error as { code?: unknown } | null)?.code;
  // Some client paths (the append sink) reject with the raw gRPC error.
  return typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code);
}

export function toStoreError(error: unknown, call?: StoreCall, user?: string): unknown {
  const append = call?.append;
  if (append && error instanceof WrongExpectedVersionError) {
    const actual = typeof error.actualVersion === 'bigint' ? error.actualVersion : undefined;
    return new WrongExpectedRevision(append.streamId, append.expected, actual);
  }
  if (append && error instanceof MaxAppendSizeExceededError) {
    return new AppendTooLarge(append.streamId, error.maxAppendSize);
  }
  if (error instanceof StoreUnavailable || error instanceof StoreAccessDenied) return error;
  if (error instanceof AccessDeniedError) return accessDenied(error, call, user);
  if (isTransient(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new StoreUnavailable(`EventStoreDB is unavailable: ${reason}`);
  }
  return error;
}

function accessDenied(
  error: AccessDeniedError,
  call?: StoreCall,
  user?: string,
): StoreAccessDenied {
  if ((error as { code?: unknown }).code === UNAUTHENTICATED) {
    return new StoreAccessDenied(
      `EventStoreDB refused the credentials in EVENTSTORE_CONNECTION_STRING for user ` +
        `"${user ?? '?'}" (wrong user name or password).`,
    );
  }
  const who = user
    ? `user "${user}"`
    : 'anonymous caller (EVENTSTORE_CONNECTION_STRING has no credentials)';
  return new StoreAccessDenied(
    `EventStoreDB denied access: the ${who} needs ${call?.needs ?? 'more rights'}.`,
  );
}
