import { withoutUndefined } from '../common/without-undefined';
import { Unauthenticated } from './unauthenticated.error';

/** Which side of the marketplace the caller's account is on. */
export type AccountType = 'operations' | 'client' | 'vendor';

/** The authenticated caller, as the rest of the service sees it. */
export interface Principal {
  id: string;
  name: string;
  email?: string;
  givenName?: string;
  familyName?: string;
  accountId: string;
  accountName: string;
  accountType: AccountType;
}

/** The token claims this service reads; the wire names are those of OpenID Connect. */
export interface PrincipalClaims {
  sub: string;
  name?: string;
  email?: string;
  given_name?: string;
  family_name?: string;
  account_id: string;
  account_name?: string;
  account_type: AccountType;
}

export const ACCOUNT_TYPES: readonly AccountType[] = ['operations', 'client', 'vendor'];

const SUBJECT_ID = /^(USR|TKN)(-\d{4}){2,4}$/;
const ACCOUNT_ID = /^ACC(-\d{4}){2,4}$/;

export const isSubjectId = (value: string): boolean => SUBJECT_ID.test(value);
export const isAccountId = (value: string): boolean => ACCOUNT_ID.test(value);
export const isAccountType = (value: unknown): value is AccountType =>
  ACCOUNT_TYPES.includes(value as AccountType);

/**
 * Reads a Principal from verified claims. The claims are authentic but still untrusted in
 * shape: an issuer may put anything in them, and ids end up in event metadata.
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const sub = requiredString(claims, 'sub');
  if (!isSubjectId(sub)) {
    throw Unauthenticated.invalidToken('The sub claim must be a USR- or TKN- identifier');
  }
  const accountId = requiredString(claims, 'account_id');
  if (!isAccountId(accountId)) {
    throw Unauthenticated.invalidToken('The account_id claim must be an ACC- identifier');
  }
  const accountType = claims.account_type;
  if (accountType === undefined) throw missingClaim('account_type');
  if (!isAccountType(accountType)) {
    throw Unauthenticated.invalidToken(
      `The account_type claim must be one of ${ACCOUNT_TYPES.join(', ')}`,
    );
  }
  const givenName = optionalString(claims, 'given_name');
  const familyName = optionalString(claims, 'family_name');
  const fullName = [givenName, familyName].filter(Boolean).join(' ');
  return withoutUndefined({
    id: sub,
    name: optionalString(claims, 'name') || fullName || sub,
    email: optionalString(claims, 'email'),
    givenName,
    familyName,
    accountId,
    accountName: optionalString(claims, 'account_name') || accountId,
    accountType,
  });
}

/** The inverse of `principalFromClaims`, for minting tokens. */
export function claimsOf(principal: Principal): PrincipalClaims {
  return withoutUndefined({
    sub: principal.id,
    name: principal.name,
    email: principal.email,
    given_name: principal.givenName,
    family_name: principal.familyName,
    account_id: principal.accountId,
    account_name: principal.accountName,
    account_type: principal.accountType,
  });
}

const missingClaim = (claim: string) =>
  Unauthenticated.invalidToken(`The token has no ${claim} claim`);

function requiredString(claims: Record<string, unknown>, claim: string): string {
  const value = claims[claim];
  if (value === undefined || value === null || value === '') throw missingClaim(claim);
  if (typeof value !== 'string') {
    throw Unauthenticated.invalidToken(`The ${claim} claim must be a string`);
  }
  return value;
}

function optionalString(claims: Record<string, unknown>, claim: string): string | undefined {
  const value = claims[claim];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw Unauthenticated.invalidToken(`The ${claim} claim must be a string`);
  }
  return value;
}
