import { ProblemError } from '../common/problem';

/**
 * 401 for a request without a usable bearer token. The challenge follows RFC 6750 §3:
 * a request that carried no token gets a bare `Bearer` challenge, one whose token was
 * refused gets `error="invalid_token"` so clients know to fetch a new token.
 */
export class Unauthenticated extends ProblemError {
  readonly status = 401;
  override readonly headers: Record<string, string>;

  private constructor(detail: string, challenge: string) {
    super(detail);
    this.headers = { 'WWW-Authenticate': challenge };
  }

  static missingToken(detail = 'A bearer token is required'): Unauthenticated {
    return new Unauthenticated(detail, 'Bearer');
  }

  /** `detail` lands in a quoted header parameter, so it must be our own text, never token content. */
  static invalidToken(detail: string): Unauthenticated {
    const description = detail.replace(/["\\\r\n]/g, '');
    return new Unauthenticated(
      detail,
      `Bearer error="invalid_token", error_description="${description}"`,
    );
  }
}

/** 503 when the JWKS endpoint cannot be reached: the caller's token may be fine, so not a 401. */
export class IdentityKeysUnavailable extends ProblemError {
  readonly status = 503;
  override readonly headers = { 'Retry-After': '5' };
}
