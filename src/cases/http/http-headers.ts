import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { BadRequest } from '../../common/http-errors';

export const etagOf = (revision: number): string => `W/"${revision}"`;

const ENTITY_TAG = /^(?:W\/)?"(\d{1,15})"$/;

/**
 * `If-Match: W/"3"` or `"3"`, or a comma-separated list of them. `*` asks only that the case
 * exist, which every command already requires, so it imposes no revision.
 */
export function parseIfMatch(header: string | undefined): number[] | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return undefined;
  const revisions = value.split(',').map((tag) => ENTITY_TAG.exec(tag.trim())?.[1]);
  if (value === '' || revisions.some((r) => r === undefined)) {
    throw new BadRequest(
      `If-Match must be an entity tag such as W/"3", got ${JSON.stringify(header)}.`,
    );
  }
  return revisions.map(Number);
}

/**
 * Whether `If-None-Match` names the current entity tag, compared weakly (RFC 9110 13.1.2):
 * `W/"3"` and `"3"` match alike, a list matches if any tag does, and `*` matches any case.
 * A header that is not a list of tags matches nothing, so the case is simply sent.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new BadRequest('Idempotency-Key must be 1 to 255 visible ASCII characters.');
  }
  return header;
}

/** What a request asked for, independent of key order, to tell a retry from a reuse. */
export function requestHash(action: string, caseId: string | undefined, body: unknown): string {
  return createHash('sha256')
    .update(stringify({ action, caseId: caseId ?? null, body: body ?? {} }) ?? '')
    .digest('base64url');
}

export function parseRevision(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) {
    throw new BadRequest(`revision must be a whole number from 1, got ${JSON.stringify(value)}.`);
  }
  return Number(value);
}
