import { STATUS_CODES } from 'node:http';

/**
 * Errors of the HTTP edge carry their status; errors from the domain, the application and the
 * stores carry a `code` instead, which {@link statusOfCode} maps. Either way one exception
 * filter writes the RFC 9457 body.
 */
export abstract class ProblemError extends Error {
  abstract readonly status: number;
  /** Per-field messages, for 400s. */
  readonly errors?: Record<string, string[]>;
  /** Extra headers the answer must carry (`Retry-After`, `WWW-Authenticate`). */
  readonly headers?: Record<string, string>;

  constructor(detail: string) {
    super(detail);
    this.name = new.target.name;
  }
}

/** The status each error code answers with; the one place codes meet HTTP. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  CASE_NOT_FOUND: 404,
  REVISION_NOT_FOUND: 404,
  COMMAND_FORBIDDEN: 403,
  CASE_ALREADY_EXISTS: 409,
  COMMAND_REFUSED: 409,
  COMMAND_CONFLICT: 409,
  WRONG_EXPECTED_REVISION: 409,
  STALE_REVISION: 412,
  IDEMPOTENCY_KEY_REUSED: 422,
  STORE_UNAVAILABLE: 503,
};

/** Seconds a client should wait before retrying, for statuses that invite a retry. */
const RETRY_AFTER_SECONDS: Readonly<Record<number, number>> = { 503: 5 };

export function statusOfCode(code: unknown): number | undefined {
  return typeof code === 'string' ? STATUS_BY_CODE[code] : undefined;
}

export function retryAfterOf(status: number): Record<string, string> | undefined {
  const seconds = RETRY_AFTER_SECONDS[status];
  return seconds === undefined ? undefined : { 'Retry-After': String(seconds) };
}

export const VALIDATION_TITLE = 'One or more validation errors occurred';

/** The platform's problem titles: the HTTP reason phrase, or its validation title for field errors. */
export function problemTitle(status: number, hasFieldErrors = false): string {
  if (status === 400 && hasFieldErrors) return VALIDATION_TITLE;
  return STATUS_CODES[status] ?? 'Error';
}

/** The problem `type` URI for a title, e.g. `.../problems/precondition-failed`. */
export const problemType = (title: string): string =>
  `https://docs.case-service.dev/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
