import { ProblemError } from './problem';

export class ValidationFailed extends ProblemError {
  readonly status = 400;
  readonly title = 'Validation failed';
  constructor(
    detail: string,
    override readonly errors?: Record<string, string[]>,
  ) {
    super(detail);
  }
}

export class BadRequest extends ProblemError {
  readonly status = 400;
  readonly title = 'Bad request';
}

export class Forbidden extends ProblemError {
  readonly status = 403;
  readonly title = 'Forbidden';
}

export class NotFound extends ProblemError {
  readonly status = 404;
  readonly title = 'Not found';
}

export class PreconditionFailed extends ProblemError {
  readonly status = 412;
  readonly title = 'Precondition failed';
}

export class IdempotencyKeyReused extends ProblemError {
  readonly status = 422;
  readonly title = 'Idempotency key reused';
}

export class CommandConflict extends ProblemError {
  readonly status = 409;
  readonly title = 'Concurrent modification';
}
