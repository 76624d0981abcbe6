import type { ExpectedRevision } from './event-store.port';

/** Another writer appended first (HTTP 409 if it ever reaches a caller). */
export class WrongExpectedRevision extends Error {
  override readonly name = 'WrongExpectedRevision';
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** `undefined` when the stream does not exist. */
    readonly actual: bigint | undefined,
  ) {
    super(
      `Stream ${streamId} was expected at ${String(expected)} but is at ${actual === undefined ? 'no stream' : String(actual)}.`,
    );
  }
}

/** The store cannot serve the request now; trying again later may work (HTTP 503). */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  readonly code = 'STORE_UNAVAILABLE';
}
