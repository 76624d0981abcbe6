/** `If-Match` named revisions the case is no longer at (HTTP 412). */
export class StaleRevision extends Error {
  override readonly name = 'StaleRevision';
  readonly code = 'STALE_REVISION';
}

/** An `Idempotency-Key` this caller already used with a different request (HTTP 422). */
export class IdempotencyKeyReused extends Error {
  override readonly name = 'IdempotencyKeyReused';
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}

/** The case kept changing under a command until its retries ran out (HTTP 409). */
export class CommandConflict extends Error {
  override readonly name = 'CommandConflict';
  readonly code = 'COMMAND_CONFLICT';
}

/** A read of a revision the case has not reached (HTTP 404). */
export class RevisionNotFound extends Error {
  override readonly name = 'RevisionNotFound';
  readonly code = 'REVISION_NOT_FOUND';
}
