import { CaseNotFound, CommandRefused } from '../../../src/cases/domain/case.errors';
import { CommandForbidden } from '../../../src/cases/access/case-access.errors';
import {
  CommandConflict,
  IdempotencyKeyReused,
  StaleRevision,
} from '../../../src/cases/application/case-application.errors';
import { outcomeOfError } from '../../../src/cases/application/case-command.observer';
import { AppendTooLarge, StoreUnavailable } from '../../../src/event-store/event-store.errors';

describe('how a failed command is counted', () => {
  it.each([
    ['a stale If-Match', new StaleRevision('x'), '412'],
    ['retries spent on conflicts', new CommandConflict('x'), '409'],
    ['a missing case', new CaseNotFound('CAS-1'), 'refused'],
    ['a forbidden command', new CommandForbidden('x'), 'refused'],
    ['a rule of the case', new CommandRefused('x'), 'refused'],
    ['a reused idempotency key', new IdempotencyKeyReused('x'), 'refused'],
    ['an oversized append', new AppendTooLarge('case-x', 10, 11), 'refused'],
    ['an unavailable store', new StoreUnavailable('x'), 'failed'],
    ['a bug', new TypeError('x'), 'failed'],
  ])('%s is %s', (_, error, outcome) => {
    expect(outcomeOfError(error)).toBe(outcome);
  });
});
