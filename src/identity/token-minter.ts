import { SignJWT } from 'jose';
import type { PrincipalClaims } from './principal';

export interface MintOptions {
  /** The HS256 secret the service verifies with. */
  secret: Uint8Array;
  expiresInSeconds: number;
  issuer?: string;
  audience?: string;
  /** Issue time; injectable so callers in tests can mint already-expired or future tokens. */
  now?: Date;
}

/** Mints HS256 tokens: the dev-mode tokens, the `token` command and tests share this one recipe. */
export async function mintToken(claims: PrincipalClaims, options: MintOptions): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const jwt = new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + options.expiresInSeconds);
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(options.secret);
}
