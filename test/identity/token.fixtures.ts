import { SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { identityConfigFromEnv, type IdentityConfig } from '../../src/identity/identity.config';

export const SECRET_TEXT = 'a-test-secret-that-is-long-enough-for-hs256!';
export const ISSUER = 'https://login.example.com/';
export const AUDIENCE = 'case-service';

export const secretConfig = (env: NodeJS.ProcessEnv = {}): IdentityConfig =>
  identityConfigFromEnv({
    NODE_ENV: 'test',
    JWT_SECRET: SECRET_TEXT,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    ...env,
  });

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Claims of a valid client token; tests override or delete what they are about. */
export const validClaims = (): JWTPayload & Record<string, unknown> => ({
  sub: 'USR-6375-2500',
  name: 'Jane Doe',
  email: 'jane@example.com',
  account_id: 'ACC-6685-9632',
  account_name: 'Stark Industries',
  account_type: 'client',
  iss: ISSUER,
  aud: AUDIENCE,
  iat: nowSeconds(),
  exp: nowSeconds() + 3600,
});

export function withoutClaim(claim: string): JWTPayload {
  const claims = validClaims();
  delete claims[claim];
  return claims;
}

/** Signs exactly the given payload: no defaults added, so tests can leave claims out. */
export function sign(
  payload: JWTPayload,
  key: KeyLike | Uint8Array = new TextEncoder().encode(SECRET_TEXT),
  header: { alg: string; kid?: string } = { alg: 'HS256' },
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', ...header }).sign(key);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsecured JWT (RFC 7519 §6); jose will not mint one, so it is put together by hand. */
export const unsignedToken = (payload: JWTPayload): string =>
  `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
