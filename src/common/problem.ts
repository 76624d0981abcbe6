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
 * Every error the service answers with carries its own HTTP status (and, for validation, its
 * kind), so one exception filter can write RFC 7807 bodies without a mapping table.
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
