/**
 * The domain's refusals. Each carries a stable `code`; the HTTP edge maps codes to statuses,
 * so the domain knows nothing of HTTP.
 */

/** A command on a case whose stream does not exist. */
export class CaseNotFound extends Error {
  override readonly name = 'CaseNotFound';
  readonly code = 'CASE_NOT_FOUND';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} was not found.`);
  }
}

/** CreateCase on a stream that already exists. */
export class CaseAlreadyExists extends Error {
  override readonly name = 'CaseAlreadyExists';
  readonly code = 'CASE_ALREADY_EXISTS';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} already exists.`);
  }
}

/** A rule of section 3 refuses the command in the case's current state. */
export class CommandRefused extends Error {
  override readonly name = 'CommandRefused';
  readonly code = 'COMMAND_REFUSED';
}
