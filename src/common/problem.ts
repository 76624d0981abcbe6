/**
 * Every error the service answers with carries its own HTTP status and problem type, so one
 * exception filter can write RFC 7807 bodies without a mapping table.
 */
export abstract class ProblemError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** Per-field messages, for 400s. */
  readonly errors?: Record<string, string[]>;
  /** Extra headers the answer must carry (`Retry-After`, `WWW-Authenticate`). */
  readonly headers?: Record<string, string>;

  constructor(detail: string) {
    super(detail);
    this.name = new.target.name;
  }

  get type(): string {
    return problemType(this.title);
  }
}

/** The problem `type` URI for a title, e.g. `.../problems/precondition-failed`. */
export const problemType = (title: string): string =>
  `https://docs.case-service.dev/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
