import { ProblemError } from '../common/problem';
import type { ExpectedRevision } from './event-store.port';

export class WrongExpectedRevision extends ProblemError {
  readonly status = 409;
  readonly title = 'Concurrent modification';
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

export class StoreUnavailable extends ProblemError {
  readonly status = 503;
  readonly title = 'Event store unavailable';
  override readonly headers = { 'Retry-After': '5' };
}

/**
 * The events of one append are larger than the store accepts (EventStoreDB's `MaxAppendSize`,
 * 1 MiB by default, measured as the server measures: type + data + metadata bytes). Both
 * stores refuse it alike and append nothing.
 */
export class AppendTooLarge extends ProblemError {
  readonly status = 413;
  readonly title = 'Payload too large';
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
export class StoreAccessDenied extends ProblemError {
  readonly status = 503;
  readonly title = 'Event store access denied';
  override readonly headers = { 'Retry-After': '60' };
}
