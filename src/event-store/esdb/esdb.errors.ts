/**
 * Translates what the EventStoreDB client throws into the port's errors. Anything that says
 * "the server cannot be reached or did not answer in time" becomes {@link StoreUnavailable};
 * the client itself drops its channel on those, so the next call connects afresh.
 */
import { ErrorType, WrongExpectedVersionError, isCommandError } from '@eventstore/db-client';
import { StoreUnavailable, WrongExpectedRevision } from '../event-store.errors';
import type { ExpectedRevision } from '../event-store.port';

/** gRPC status codes for failures that say nothing about the request itself. */
const TRANSIENT_GRPC_CODES = new Set([
  1, // CANCELLED, by the server
  4, // DEADLINE_EXCEEDED
  10, // ABORTED, what the server answers on its own timeouts
  14, // UNAVAILABLE
]);

const TRANSIENT_TYPES: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.CANCELLED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
]);

export function isTransient(error: unknown): boolean {
  if (error instanceof StoreUnavailable) return true;
  if (error instanceof Error && isCommandError(error)) return TRANSIENT_TYPES.has(error.type);
  const code = (error as { code?: unknown } | null)?.code;
  // Some client paths (the append sink) reject with the raw gRPC error.
  return typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code);
}

export function toStoreError(
  error: unknown,
  append?: { streamId: string; expected: ExpectedRevision },
): unknown {
  if (append && error instanceof WrongExpectedVersionError) {
    const actual = typeof error.actualVersion === 'bigint' ? error.actualVersion : undefined;
    return new WrongExpectedRevision(append.streamId, append.expected, actual);
  }
  if (error instanceof StoreUnavailable) return error;
  if (isTransient(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new StoreUnavailable(`EventStoreDB is unavailable: ${reason}`);
  }
  return error;
}
