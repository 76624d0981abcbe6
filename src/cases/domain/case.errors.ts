import { ProblemError } from '../../common/problem';

/** A command on a case whose stream does not exist. */
export class CaseNotFound extends ProblemError {
  readonly status = 404;
  constructor(readonly caseId: string) {
    super(`Case ${caseId} was not found.`);
  }
}

/** CreateCase on a stream that already exists. */
export class CaseAlreadyExists extends ProblemError {
  readonly status = 409;
  constructor(readonly caseId: string) {
    super(`Case ${caseId} already exists.`);
  }
}

/** A rule of section 3 refuses the command in the case's current state. */
export class CommandRefused extends ProblemError {
  readonly status = 409;
}
