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

/**
 * The events of one append are larger than the store accepts (EventStoreDB's `MaxAppendSize`,
 * 1 MiB by default, measured as the server measures: type + data + metadata bytes). Both
 * stores refuse it alike and append nothing.
 */
export class AppendTooLarge extends Error {
  override readonly name = 'AppendTooLarge';
  readonly code = 'APPEND_TOO_LARGE';
  constructor(
    readonly streamId: string,
    readonly maxAppendSize: number,
    /** `undefined` when only the server measured it. */
    readonly size?: number,
  ) {
    super(
      `The events to append to ${streamId} take ${size === undefined ? 'more than' : `${size} bytes, over`} ` +
        `the event store's maximum of ${maxAppendSize} bytes per append; nothing was stored.`,
    );
  }
}

/**
 * The store refuses this service's credentials or their rights: a configuration error, not an
 * outage, so the detail names what is missing. Still 503 to callers (the fault is not theirs).
 */
export class StoreAccessDenied extends Error {
  override readonly name = 'StoreAccessDenied';
  readonly code = 'STORE_ACCESS_DENIED';
}
