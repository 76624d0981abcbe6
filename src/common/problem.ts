import { STATUS_CODES } from 'node:http';

/**
 * Problem `title`s are the HTTP reason phrase, as on the helpdesk platform (`Not Found`,
 * `Precondition Failed`, …), except validation failures, which carry the platform's own title;
 * the specific message is the `detail` (and `errors`). Both title and `type` are a function of
 * status and kind alone, here, so every problem the service writes is named the same way.
 */
export type ProblemKind = 'validation';

export const VALIDATION_TITLE = 'One or more validation errors occurred';

export function problemTitle(status: number, kind?: ProblemKind): string {
  if (kind === 'validation') return VALIDATION_TITLE;
  return STATUS_CODES[status] ?? 'Error';
}

/** The path segment of a problem type: `not-found`, `validation`. */
export function problemSlug(status: number, kind?: ProblemKind): string {
  return (
    kind ??
    problemTitle(status)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
  );
}

/** Where a problem type is explained, served by this service (relative, so it always resolves). */
export const PROBLEM_TYPE_BASE = '/docs/problems/';

export function problemType(status: number, kind?: ProblemKind): string {
  return `${PROBLEM_TYPE_BASE}${problemSlug(status, kind)}`;
}

/**
 * An error of the HTTP edge itself (a request the service cannot read, a refused token): it
 * carries its own HTTP status and, for validation, its kind.
 */
export abstract class ProblemError extends Error {
  abstract readonly status: number;
  readonly kind?: ProblemKind;
  /** Per-field messages, for 400s. */
  readonly errors?: Record<string, string[]>;
  /** Extra headers the answer must carry (`Retry-After`, `WWW-Authenticate`). */
  readonly headers?: Record<string, string>;

  constructor(detail: string) {
    super(detail);
    this.name = new.target.name;
  }

  get title(): string {
    return problemTitle(this.status, this.kind);
  }

  get type(): string {
    return problemType(this.status, this.kind);
  }
}

/**
 * Errors of the HTTP edge carry their status (above); errors from the domain, the access rules,
 * the application and the stores carry a `code` instead, mapped here, so nothing inside knows
 * HTTP. This is the one place codes meet statuses (and how long a client should wait before
 * retrying, where trying again later can help).
 */
const BY_CODE: Readonly<Record<string, { status: number; retryAfterSeconds?: number }>> = {
  CASE_NOT_FOUND: { status: 404 },
  REVISION_NOT_FOUND: { status: 404 },
  COMMAND_FORBIDDEN: { status: 403 },
  CASE_ALREADY_EXISTS: { status: 409 },
  COMMAND_REFUSED: { status: 409 },
  COMMAND_CONFLICT: { status: 409 },
  WRONG_EXPECTED_REVISION: { status: 409 },
  STALE_REVISION: { status: 412 },
  APPEND_TOO_LARGE: { status: 413 },
  IDEMPOTENCY_KEY_REUSED: { status: 422 },
  STORE_UNAVAILABLE: { status: 503, retryAfterSeconds: 5 },
  // A configuration fault on the store's side: it will not mend itself in seconds.
  STORE_ACCESS_DENIED: { status: 503, retryAfterSeconds: 60 },
};

/** The status and headers an error with this code answers with; undefined for other errors. */
export function problemOfCode(
  code: unknown,
): { status: number; headers?: Record<string, string> } | undefined {
  const known = typeof code === 'string' ? BY_CODE[code] : undefined;
  if (!known) return undefined;
  const { status, retryAfterSeconds } = known;
  return retryAfterSeconds === undefined
    ? { status }
    : { status, headers: { 'Retry-After': String(retryAfterSeconds) } };
}
