import { ProblemError } from '../common/problem';
import type { ExpectedRevision } from './event-store.port';

export class WrongExpectedRevision extends ProblemError {
  readonly status = 409;
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
  override readonly headers = { 'Retry-After': '5' };
}
