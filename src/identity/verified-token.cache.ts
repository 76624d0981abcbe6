import { LRUCache } from 'lru-cache';
import type { JWTPayload } from 'jose';
import type { Principal } from './principal';

export interface VerifiedTokenCacheOptions {
  /** Most tokens kept (default 10,000). */
  readonly maxTokens?: number;
  /** Most token text kept, in characters (default 4 MiB): a token may be as long as a header. */
  readonly maxChars?: number;
  /** Longest a verification is reused before the signature is checked again (default 60 s). */
  readonly maxAgeMs?: number;
  /** Clock tolerance the verifier applies to `exp` and `nbf`, in seconds. */
  readonly clockToleranceSeconds: number;
  readonly now?: () => number;
}

interface Verified {
  readonly claims: JWTPayload;
  readonly principal: Principal;
}

/**
 * Tokens whose signature and claims this verifier has already checked, keyed by the exact
 * token text: any other text, a single changed byte included, is a miss and is verified in
 * full. A hit still re-checks `exp` and `nbf` against the clock, with the verifier's tolerance,
 * and a token that fails them is dropped and sent back to full verification (which then
 * answers exactly as it would have without the cache). An entry is reused for at most
 * `maxAgeMs`, so a key removed from a remote key set stops working within that time, as it
 * would within jose's own key-set cache. Each verifier owns its cache: new keys or a new
 * configuration mean a new verifier, and an empty cache.
 */
export class VerifiedTokenCache {
  private readonly entries: LRUCache<string, Verified>;
  private readonly tolerance: number;
  private readonly now: () => number;

  constructor(options: VerifiedTokenCacheOptions) {
    this.tolerance = options.clockToleranceSeconds;
    this.now = options.now ?? (() => Date.now());
    this.entries = new LRUCache<string, Verified>({
      max: options.maxTokens ?? 10_000,
      maxSize: options.maxChars ?? 4 * 1024 * 1024,
      sizeCalculation: (_value, token) => Math.max(token.length, 1),
      ttl: options.maxAgeMs ?? 60_000,
      ttlAutopurge: false,
      // The verifier's own clock, read on every look-up (lru-cache would keep one reading for
      // a millisecond of real time, and reads `performance.now()` by default).
      ttlResolution: 0,
      perf: { now: () => this.now() },
    });
  }

  get size(): number {
    return this.entries.size;
  }

  /** The principal of an already verified token still inside its validity window, if any. */
  get(token: string): { claims: JWTPayload; principal: Principal } | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    const now = Math.floor(this.now() / 1000);
    const { exp, nbf } = hit.claims;
    const expired = typeof exp === 'number' && exp <= now - this.tolerance;
    const early = typeof nbf === 'number' && nbf > now + this.tolerance;
    if (expired || early) {
      this.entries.delete(token);
      return undefined;
    }
    return hit;
  }

  /** Keeps a verified token; the principal handed out from now on is a frozen copy, shared. */
  set(token: string, claims: JWTPayload, principal: Principal): Principal {
    const shared = Object.freeze({ ...principal });
    this.entries.set(token, { claims, principal: shared });
    return shared;
  }
}
