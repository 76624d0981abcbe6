import { DEV_PRINCIPALS } from '../../src/identity/dev-tokens';
import { claimsOf, type Principal } from '../../src/identity/principal';
import { mintToken } from '../../src/identity/token-minter';

export const TEST_SECRET = 'e2e-test-secret-that-is-long-enough-for-hs256';

/** A second client account, to prove that nothing crosses from one account to another. */
export const OTHER_CLIENT: Principal = {
  id: 'USR-4000-0001',
  name: 'Otto Other',
  accountId: 'ACC-4000-0000',
  accountName: 'Other Corp',
  accountType: 'client',
};

/** A second operations user, to tell two callers of the same audience apart. */
export const OTHER_OPERATOR: Principal = {
  id: 'USR-1000-0002',
  name: 'Omar Operator',
  accountId: 'ACC-1000-0000',
  accountName: 'Helpdesk Operations',
  accountType: 'operations',
};

export const CALLERS = {
  ...DEV_PRINCIPALS,
  otherClient: OTHER_CLIENT,
  otherOperator: OTHER_OPERATOR,
} as const;
export type Caller = keyof typeof CALLERS;

/** A bearer token for every caller, signed with {@link TEST_SECRET}. */
export async function callerTokens(): Promise<Record<Caller, string>> {
  const secret = new TextEncoder().encode(TEST_SECRET);
  const entries = await Promise.all(
    Object.entries(CALLERS).map(async ([caller, principal]) => [
      caller,
      await mintToken(claimsOf(principal), { secret, expiresInSeconds: 3600 }),
    ]),
  );
  return Object.fromEntries(entries) as Record<Caller, string>;
}
