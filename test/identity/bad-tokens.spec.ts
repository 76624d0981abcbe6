import { exportSPKI, generateKeyPair } from 'jose';
import { identityConfigFromEnv } from '../../src/identity/identity.config';
import { TokenVerifier } from '../../src/identity/token-verifier';
import { Unauthenticated } from '../../src/identity/unauthenticated.error';
import {
  SECRET_TEXT,
  nowSeconds,
  secretConfig,
  sign,
  unsignedToken,
  validClaims,
  withoutClaim,
} from './token.fixtures';

interface BadToken {
  case: string;
  token: () => Promise<string | undefined> | string | undefined;
  /** Which verifier meets the token: the HS256 secret one, or the RS256 public key one. */
  verifier?: 'secret' | 'public-key';
  detail: RegExp;
}

describe('TokenVerifier refuses', () => {
  let rsaPem: string;
  const verifiers = {} as Record<'secret' | 'public-key', TokenVerifier>;

  beforeAll(async () => {
    const { publicKey } = await generateKeyPair('RS256');
    rsaPem = await exportSPKI(publicKey);
    verifiers.secret = new TokenVerifier(secretConfig());
    verifiers['public-key'] = new TokenVerifier(
      identityConfigFromEnv({ JWT_PUBLIC_KEY: rsaPem, JWT_ISSUER: 'https://login.example.com/' }),
    );
  });

  // The control: every bad token below is this one with one thing wrong.
  it('(control) accepts the untouched valid token', async () => {
    await expect(verifiers.secret.verify(await sign(validClaims()))).resolves.toMatchObject({
      id: 'USR-6375-2500',
    });
  });

  const tampered = async () => {
    const [header, , signature] = (await sign(validClaims())).split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...validClaims(), account_type: 'operations' }),
    ).toString('base64url');
    return `${header}.${payload}.${signature}`;
  };

  const badTokens: BadToken[] = [
    { case: 'a malformed token', token: () => 'not-a-jwt', detail: /malformed/ },
    { case: 'three parts of garbage', token: () => 'abc.def.ghi', detail: /malformed/ },
    {
      case: 'a token signed with another secret',
      token: () => sign(validClaims(), new TextEncoder().encode('x'.repeat(32) + 'another-secret')),
      detail: /signature is invalid/,
    },
    {
      case: 'a token whose claims were altered after signing',
      token: tampered,
      detail: /signature is invalid/,
    },
    {
      case: 'an unsigned token (alg none)',
      token: () => unsignedToken(validClaims()),
      detail: /must be signed with HS256/,
    },
    {
      case: 'an HS256 token signed with the public key PEM (HS/RS confusion)',
      token: () => sign(validClaims(), new TextEncoder().encode(rsaPem)),
      verifier: 'public-key',
      detail: /must be signed with RS256/,
    },
    {
      case: 'an expired token, beyond the clock tolerance',
      token: () => sign({ ...validClaims(), iat: nowSeconds() - 7200, exp: nowSeconds() - 300 }),
      detail: /expired/,
    },
    {
      case: 'a token not valid yet (nbf in the future)',
      token: () => sign({ ...validClaims(), nbf: nowSeconds() + 3600 }),
      detail: /not valid yet/,
    },
    {
      case: 'a token from another issuer',
      token: () => sign({ ...validClaims(), iss: 'https://evil.example.com/' }),
      detail: /issuer/,
    },
    {
      case: 'a token without an issuer when one is configured',
      token: () => sign(withoutClaim('iss')),
      detail: /issuer/,
    },
    {
      case: 'a token for another audience',
      token: () => sign({ ...validClaims(), aud: 'another-service' }),
      detail: /audience/,
    },
    { case: 'a token without exp', token: () => sign(withoutClaim('exp')), detail: /no exp claim/ },
    {
      case: 'a token that expires in 1e300 seconds',
      token: () => sign({ ...validClaims(), exp: 1e300 }),
      detail: /lives longer than the 86400 seconds this service accepts/,
    },
    {
      case: 'a token issued two days before it expires, though it expires soon',
      token: () =>
        sign({ ...validClaims(), iat: nowSeconds() - 2 * 86400 + 60, exp: nowSeconds() + 120 }),
      detail: /lives longer than/,
    },
    {
      case: 'a long-lived token without iat',
      token: () => sign({ ...withoutClaim('iat'), exp: nowSeconds() + 86400 + 600 }),
      detail: /lives longer than/,
    },
    {
      case: 'a long-lived token whose iat is set in the future to look short-lived',
      token: () =>
        sign({ ...validClaims(), iat: nowSeconds() + 86400, exp: nowSeconds() + 86400 + 600 }),
      detail: /lives longer than/,
    },
    {
      case: 'a token whose exp is not a number',
      token: () => sign({ ...validClaims(), exp: 'tomorrow' as never }),
      detail: /exp claim is invalid/,
    },
    { case: 'a token without sub', token: () => sign(withoutClaim('sub')), detail: /no sub claim/ },
    {
      case: 'a token without account_id',
      token: () => sign(withoutClaim('account_id')),
      detail: /no account_id claim/,
    },
    {
      case: 'a token without account_type',
      token: () => sign(withoutClaim('account_type')),
      detail: /no account_type claim/,
    },
    {
      case: 'an unknown account_type',
      token: () => sign({ ...validClaims(), account_type: 'admin' }),
      detail: /account_type claim must be one of operations, client, vendor/,
    },
    {
      case: 'a sub that is no USR-/TKN- id',
      token: () => sign({ ...validClaims(), sub: 'jane@example.com' }),
      detail: /sub claim must be/,
    },
    {
      case: 'a sub with the wrong prefix',
      token: () => sign({ ...validClaims(), sub: 'CAS-1234-5678' }),
      detail: /sub claim must be/,
    },
    {
      case: 'a sub with too few digit groups',
      token: () => sign({ ...validClaims(), sub: 'USR-1234' }),
      detail: /sub claim must be/,
    },
    {
      case: 'a malformed account_id',
      token: () => sign({ ...validClaims(), account_id: 'ACC-12-34' }),
      detail: /account_id claim must be/,
    },
    {
      case: 'a claim of the wrong type',
      token: () => sign({ ...validClaims(), name: 42 }),
      detail: /name claim must be a string/,
    },
  ];

  it.each(badTokens)('$case with a 401 invalid_token challenge', async (bad) => {
    const error = await refusal(verifiers[bad.verifier ?? 'secret'], await bad.token());

    expect(error).toBeInstanceOf(Unauthenticated);
    expect(error.status).toBe(401);
    expect(error.title).toBe('Unauthorized');
    expect(error.message).toMatch(bad.detail);
    expect(error.headers['WWW-Authenticate']).toBe(
      `Bearer error="invalid_token", error_description="${error.message}"`,
    );
    expect(JSON.stringify({ detail: error.message, headers: error.headers })).not.toContain(
      SECRET_TEXT,
    );
  });

  it.each([
    ['no token', undefined],
    ['an empty token', ''],
  ])('%s with a bare Bearer challenge', async (_case, token) => {
    const error = await refusal(verifiers.secret, token);

    expect(error).toBeInstanceOf(Unauthenticated);
    expect(error.status).toBe(401);
    expect(error.headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
  });

  it.each([
    ['no Authorization header', undefined],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a scheme without a token', 'Bearer '],
  ])('%s as a missing token', async (_case, header) => {
    const error = await verifiers.secret.verifyAuthorization(header).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Unauthenticated).headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
  });
});

async function refusal(
  verifier: TokenVerifier,
  token: string | undefined,
): Promise<Unauthenticated> {
  const outcome = await verifier.verify(token).then(
    (principal) => ({ principal }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`accepted as ${JSON.stringify(outcome.principal)}`);
  return outcome.error as Unauthenticated;
}
