import { createSecretKey } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  type KeyLike,
} from 'jose';
import type { IdentityConfig } from './identity.config';
import { principalFromClaims, type Principal } from './principal';
import { IdentityKeysUnavailable, Unauthenticated } from './unauthenticated.error';
import { VerifiedTokenCache, type VerifiedTokenCacheOptions } from './verified-token.cache';

/** Verifies bearer tokens and turns their claims into a Principal; nothing else reads JWTs. */
export class TokenVerifier {
  private readonly key: KeyLike | JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;
  private readonly keysAreRemote: boolean;
  private readonly maxLifetimeSeconds: number;
  /** Every request of a client carries the same token: its signature is checked once a minute. */
  private readonly verified: VerifiedTokenCache;

  constructor(
    config: IdentityConfig,
    cache: Omit<VerifiedTokenCacheOptions, 'clockToleranceSeconds'> = {},
  ) {
    const { key } = config;
    this.keysAreRemote = key.kind === 'jwks-url';
    this.maxLifetimeSeconds = config.maxTokenLifetimeSeconds;
    this.key =
      key.kind === 'secret'
        ? // Given raw bytes, jose builds a KeyObject on every verification; build it once.
          createSecretKey(key.secret)
        : key.kind === 'public-key'
          ? key.key
          : key.kind === 'jwks'
            ? createLocalJWKSet(key.keySet)
            : createRemoteJWKSet(key.url);
    this.options = {
      // Pinned by the key, never taken from the token: this is what refuses `alg: none` and
      // an HS256 token "signed" with a public key's PEM bytes.
      algorithms: [key.kind === 'secret' ? 'HS256' : key.algorithm],
      requiredClaims: ['exp'],
      clockTolerance: config.clockToleranceSeconds,
      ...(config.issuer !== undefined && { issuer: config.issuer }),
      ...(config.audience !== undefined && { audience: config.audience }),
    };
    this.verified = new VerifiedTokenCache({
      ...cache,
      clockToleranceSeconds: config.clockToleranceSeconds,
    });
  }

  /** Verifies the token of an `Authorization` header value. */
  async verifyAuthorization(header: string | undefined): Promise<Principal> {
    return this.verify(bearerToken(header));
  }

  async verify(token: string | undefined): Promise<Principal> {
    if (!token) throw Unauthenticated.missingToken();
    const known = this.verified.get(token);
    if (known) {
      this.assertLifetime(known.claims);
      return known.principal;
    }
    const claims = await this.verifiedClaims(token);
    this.assertLifetime(claims);
    return this.verified.set(token, claims, principalFromClaims(claims));
  }

  /**
   * A correctly signed token that lives for years (or `exp: 1e300`) is refused: a leaked one
   * would never stop working. The lifetime counts from `iat`, or from now when the token has
   * none, and a future `iat` cannot stretch it.
   */
  private assertLifetime({ exp, iat }: JWTPayload): void {
    const now = Math.floor(Date.now() / 1000);
    const issuedAt = typeof iat === 'number' ? Math.min(iat, now) : now;
    if (typeof exp === 'number' && exp - issuedAt > this.maxLifetimeSeconds) {
      throw Unauthenticated.invalidToken(
        `The token lives longer than the ${this.maxLifetimeSeconds} seconds this service accepts`,
      );
    }
  }

  private async verifiedClaims(token: string): Promise<JWTPayload> {
    try {
      const { payload } =
        typeof this.key === 'function'
          ? await jwtVerify(token, this.key, this.options)
          : await jwtVerify(token, this.key, this.options);
      return payload;
    } catch (error) {
      throw this.refusal(error);
    }
  }

  private refusal(error: unknown): Error {
    const detail = tokenProblem(error, this.options);
    if (detail !== undefined) return Unauthenticated.invalidToken(detail);
    if (this.keysAreRemote) {
      return new IdentityKeysUnavailable('The key set to verify tokens with cannot be fetched');
    }
    // Anything else is a fault of ours (a key jose cannot use), not of the caller's token.
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** `Bearer <token>`; any other scheme counts as no bearer token at all (RFC 6750 §3). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

/** What is wrong with the token, in words that reveal nothing of the keys; undefined if not the token's fault. */
function tokenProblem(error: unknown, options: JWTVerifyOptions): string | undefined {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
        return 'The token is not valid yet';
      case 'iss':
        return 'The token was issued by an issuer this service does not accept';
      case 'aud':
        return 'The token is meant for another audience';
      default:
        return error.reason === 'missing'
          ? `The token has no ${error.claim} claim`
          : `The token's ${error.claim} claim is invalid`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return `The token must be signed with ${options.algorithms?.join(', ')}`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'The token signature is invalid';
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return 'No single key of the key set matches the token';
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return 'The token is malformed';
  }
  return undefined;
}
