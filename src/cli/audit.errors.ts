/**
 * Exit codes of `case-audit`, so scripts can tell "the history is damaged" from "you typed it
 * wrong" from "the store is down" without parsing messages.
 */
export const EXIT = {
  ok: 0,
  /** verify found anomalies, or another command met a damaged history. */
  anomalies: 1,
  /** Unknown command or option, or an option value that is not what it must be. */
  usage: 2,
  /** No such case, or no such revision of it. */
  notFound: 3,
  /** The environment does not describe a usable store. */
  config: 4,
  /** The store did not answer, or answered with an error. */
  unavailable: 5,
  /** A bug: anything not foreseen above. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure: its message is written to stderr as is, and the process exits with its code. */
export class AuditCliError extends Error {
  override readonly name = 'AuditCliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new AuditCliError(message, EXIT.usage);
export const notFoundError = (message: string) => new AuditCliError(message, EXIT.notFound);
