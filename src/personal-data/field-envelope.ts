import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  randomFillSync,
  type KeyObject,
} from 'node:crypto';

/**
 * One personal field sealed with AES-256-GCM, as the string that replaces the field's value:
 * `pii:1:<keyId>:<nonce>:<ciphertext+tag>`, the last two base64url. The plaintext is the
 * value's JSON text (so a string, a number or an object seal alike); the additional data binds
 * it to where it was written (event id and field path), so an envelope copied elsewhere does
 * not open. Format and rationale: docs/personal-data.md.
 */
export const ENVELOPE_PREFIX = 'pii:1:';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';
const SHAPE = /^pii:1:([A-Za-z0-9_-]{16,64}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22,})$/;

export interface ParsedEnvelope {
  readonly keyId: string;
  readonly nonce: Buffer;
  readonly sealed: Buffer;
}

export const isEnvelope = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(ENVELOPE_PREFIX);

/** The envelope's parts, or undefined when the text is not a well-formed envelope. */
export function parseEnvelope(text: string): ParsedEnvelope | undefined {
  const match = SHAPE.exec(text);
  if (!match) return undefined;
  const nonce = Buffer.from(match[2]!, 'base64url');
  const sealed = Buffer.from(match[3]!, 'base64url');
  if (nonce.length !== NONCE_BYTES || sealed.length <= TAG_BYTES) return undefined;
  return { keyId: match[1]!, nonce, sealed };
}

/** The key id an envelope names, when the text looks like one; for batching key lookups. */
export function envelopeKeyId(text: string): string | undefined {
  if (!text.startsWith(ENVELOPE_PREFIX)) return undefined;
  const end = text.indexOf(':', ENVELOPE_PREFIX.length);
  return end > ENVELOPE_PREFIX.length ? text.slice(ENVELOPE_PREFIX.length, end) : undefined;
}

/**
 * Nonces drawn from a pool refilled 4,096 at a time: one `randomBytes` call per field costs as
 * much as the encryption itself. Each nonce is still 96 fresh random bits, used once.
 */
const noncePool = Buffer.alloc(NONCE_BYTES * 4096);
let nonceOffset = noncePool.length;

function freshNonce(): Buffer {
  if (nonceOffset >= noncePool.length) {
    randomFillSync(noncePool);
    nonceOffset = 0;
  }
  const nonce = Buffer.from(noncePool.subarray(nonceOffset, nonceOffset + NONCE_BYTES));
  nonceOffset += NONCE_BYTES;
  return nonce;
}

/** A data key as the vault holds it: imported once, since importing per field costs more. */
export type DataKey = KeyObject;

export function sealField(key: DataKey, keyId: string, value: unknown, context: string): string {
  const nonce = freshNonce();
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([body, cipher.getAuthTag()]);
  return `${ENVELOPE_PREFIX}${keyId}:${nonce.toString('base64url')}:${sealed.toString('base64url')}`;
}

/** The sealed value; throws when the key, the context or the bytes do not match. */
export function openField(key: DataKey, envelope: ParsedEnvelope, context: string): unknown {
  const { nonce, sealed } = envelope;
  const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const head = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
  // GCM hands out all its plaintext on update; final only checks the tag (and throws).
  const tail = decipher.final();
  const text = (tail.length === 0 ? head : Buffer.concat([head, tail])).toString('utf8');
  return JSON.parse(text) as unknown;
}

/** Wraps a data key under the master key (same AEAD; the key id and subject as context). */
export function wrapKey(master: Buffer, dataKey: Buffer, context: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, master, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  return Buffer.concat([nonce, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
}

/** The data key; throws when the master key or the context is not the one it was wrapped with. */
export function unwrapKey(master: Buffer, wrapped: Buffer, context: string): Buffer {
  const nonce = wrapped.subarray(0, NONCE_BYTES);
  const tag = wrapped.subarray(wrapped.length - TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, master, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([
    decipher.update(wrapped.subarray(NONCE_BYTES, wrapped.length - TAG_BYTES)),
    decipher.final(),
  ]);
}
