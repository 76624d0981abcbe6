import { ProblemError } from './problem';

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

export class PreconditionFailed extends ProblemError {
  readonly status = 412;
}

export class IdempotencyKeyReused extends ProblemError {
  readonly status = 422;
}

export class CommandConflict extends ProblemError {
  readonly status = 409;
}
