import { ProblemError } from './problem';

/** Errors of the HTTP edge itself: a request the service cannot read. */

export class ValidationFailed extends ProblemError {
  readonly status = 400;
  override readonly kind = 'validation';
  constructor(
    detail: string,
    override readonly errors?: Record<string, string[]>,
  ) {
    super(detail);
  }
}

export class BadRequest extends ProblemError {
  readonly status = 400;
}

export class Forbidden extends ProblemError {
  readonly status = 403;
}

export class NotFound extends ProblemError {
  readonly status = 404;
}
