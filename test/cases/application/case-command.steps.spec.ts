import {
  CommandConflict,
  IdempotencyKeyReused,
  StaleRevision,
} from '../../../src/cases/application/case-application.errors';
import type { CommandContext } from '../../../src/cases/application/case-command.messages';
import {
  checkIfMatch,
  ensureVisible,
  idempotentReplay,
  retryOnConflict,
} from '../../../src/cases/application/case-command.steps';
import { emptyCaseFold, foldCase, type CaseFold } from '../../../src/cases/application/case.fold';
import { CaseNotFound } from '../../../src/cases/domain/case.errors';
import { CASE_EVENT_SCHEMA_VERSION, type CaseEvent } from '../../../src/cases/domain/case.events';
import { WrongExpectedRevision } from '../../../src/event-store/event-store.errors';
import { DEV_PRINCIPALS } from '../../../src/identity/dev-tokens';
import type { Principal } from '../../../src/identity/principal';

describe('the steps around the command pipeline', () => {
  describe('ensureVisible', () => {
    it('lets operations see any account’s case', () => {
      expect(() => ensureVisible(aCase(), transfer, context(OPERATIONS))).not.toThrow();
    });

    it('lets a client see its own account’s case', () => {
      expect(() => ensureVisible(aCase(), transfer, context(CLIENT))).not.toThrow();
    });

    it('answers another account’s case as a missing one', () => {
      expect(() => ensureVisible(aCase(), transfer, context(OTHER_CLIENT))).toThrow(CaseNotFound);
    });

    it('answers a case that does not exist as missing', () => {
      expect(() => ensureVisible(emptyCaseFold(CASE_ID), transfer, context(OPERATIONS))).toThrow(
        CaseNotFound,
      );
    });
  });

  describe('idempotentReplay', () => {
    const keyed = () => aCase({ key: 'key-1', by: CLIENT, hash: 'hash-1' });

    it('answers a retry of the same request with the revision it produced', () => {
      expect(idempotentReplay(keyed(), context(CLIENT, { key: 'key-1', hash: 'hash-1' }))).toEqual({
        revision: 1,
      });
    });

    it('refuses the same key with a different request', () => {
      expect(() =>
        idempotentReplay(keyed(), context(CLIENT, { key: 'key-1', hash: 'other' })),
      ).toThrow(IdempotencyKeyReused);
    });

    it('does not replay another caller’s request that used the same key', () => {
      expect(idempotentReplay(keyed(), context(OPERATIONS, { key: 'key-1', hash: 'other' }))).toBe(
        undefined,
      );
    });

    it('does nothing for a request without a key', () => {
      expect(idempotentReplay(keyed(), context(CLIENT))).toBeUndefined();
    });
  });

  describe('checkIfMatch', () => {
    it('passes when the case is at one of the named revisions', () => {
      expect(() => checkIfMatch(context(OPERATIONS, { ifMatch: [3, 1] }), aCase())).not.toThrow();
    });

    it('refuses with the case’s revision when it is at none of them', () => {
      expect(() => checkIfMatch(context(OPERATIONS, { ifMatch: [2] }), aCase())).toThrow(
        /is at revision 1; If-Match named W\/"2"/,
      );
    });
  });

  describe('retryOnConflict', () => {
    const conflict = () => new WrongExpectedRevision('case-x', 0n, 1n);

    it('runs the attempt again after a conflict and answers its result', async () => {
      const attempts: number[] = [];
      const result = await retryOnConflict(
        () => CASE_ID,
        context(OPERATIONS),
        POLICY,
        (n) => {
          attempts.push(n);
          if (n < 2) throw conflict();
          return Promise.resolve('done');
        },
      );
      expect({ result, attempts }).toEqual({ result: 'done', attempts: [0, 1, 2] });
    });

    it('gives up with 409 once the retries are spent', async () => {
      let attempts = 0;
      await expect(
        retryOnConflict(
          () => CASE_ID,
          context(OPERATIONS),
          POLICY,
          () => {
            attempts += 1;
            throw conflict();
          },
        ),
      ).rejects.toThrow(CommandConflict);
      expect(attempts).toBe(POLICY.retries + 1);
    });

    it('does not retry a caller who sent If-Match: the state it decided on is gone', async () => {
      let attempts = 0;
      await expect(
        retryOnConflict(
          () => CASE_ID,
          context(OPERATIONS, { ifMatch: [1] }),
          POLICY,
          () => {
            attempts += 1;
            throw conflict();
          },
        ),
      ).rejects.toThrow(StaleRevision);
      expect(attempts).toBe(1);
    });

    it('passes any other error through at once', async () => {
      await expect(
        retryOnConflict(
          () => CASE_ID,
          context(OPERATIONS),
          POLICY,
          () => {
            throw new Error('disk full');
          },
        ),
      ).rejects.toThrow('disk full');
    });
  });
});

const CASE_ID = 'CAS-1234-5678-9012';
const POLICY = { retries: 3, backoffMs: 1 };
const OPERATIONS = DEV_PRINCIPALS.operations;
const CLIENT = DEV_PRINCIPALS.client;
const OTHER_CLIENT: Principal = { ...CLIENT, id: 'USR-4000-0001', accountId: 'ACC-4000-0000' };
const transfer = {
  type: 'TransferCase',
  caseId: CASE_ID,
  data: { queue: { id: 'HQU-5555-6666' } },
} as const;

function context(
  principal: Principal,
  { key, hash, ifMatch }: { key?: string; hash?: string; ifMatch?: number[] } = {},
): CommandContext {
  return {
    principal,
    correlationId: 'corr-steps-1',
    ifMatch,
    ...(key ? { idempotencyKey: key, requestHash: hash } : {}),
  };
}

/** A case of the client's account, created by `by` (with an idempotency key when given). */
function aCase({
  key,
  by = OPERATIONS,
  hash,
}: { key?: string; by?: Principal; hash?: string } = {}): CaseFold {
  const created: CaseEvent = {
    type: 'CaseCreated',
    data: {
      caseId: CASE_ID,
      chat: { id: 'CHT-1111-2222-3333', type: 'case' },
      queue: { id: 'HQU-1234-1234' },
      account: { id: CLIENT.accountId, name: CLIENT.accountName },
      reporter: { id: CLIENT.id, name: CLIENT.name },
      assignee: null,
      parameters: [],
    },
  };
  return foldCase(emptyCaseFold(CASE_ID), [
    {
      eventId: 'e-1',
      revision: 1,
      event: created,
      metadata: {
        schemaVersion: CASE_EVENT_SCHEMA_VERSION,
        occurredAt: '2026-11-24T10:00:00.000Z',
        actor: { ...by },
        $correlationId: 'corr-steps-0',
        $causationId: 'cause-0',
        ...(key ? { idempotencyKey: key, requestHash: hash } : {}),
      },
    },
  ]);
}
