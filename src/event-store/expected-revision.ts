import type { ExpectedRevision } from './event-store.port';

/** Whether a stream at `actual` (`undefined`: no stream) meets the expectation of an append. */
export function satisfiesExpectedRevision(
  expected: ExpectedRevision,
  actual: bigint | undefined,
): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === undefined;
    case 'stream_exists':
      return actual !== undefined;
    default:
      return actual === expected;
  }
}

/**
 * Whether the expectation would have held for the append that wrote `firstRevision`: how the
 * embedded stores recognise a retry of an append that already committed.
 */
export function expectationHeldBefore(expected: ExpectedRevision, firstRevision: bigint): boolean {
  return satisfiesExpectedRevision(expected, firstRevision === 0n ? undefined : firstRevision - 1n);
}
