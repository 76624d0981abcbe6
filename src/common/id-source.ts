import { createHash, randomInt, randomUUID } from 'node:crypto';

/** Identifiers come in from the edge through this port, never from inside the domain. */
export abstract class IdSource {
  abstract caseId(): string;
  abstract chatId(): string;
  abstract eventId(): string;
}

export class RandomIdSource extends IdSource {
  caseId(): string {
    return `CAS-${randomGroups(3)}`;
  }
  chatId(): string {
    return `CHT-${randomGroups(3)}`;
  }
  eventId(): string {
    return randomUUID();
  }
}

/**
 * The case id a create with an `Idempotency-Key` gets: derived from the caller and the key, so
 * a retry lands on the same stream on any instance and any store, and "no stream" refuses it.
 */
export function caseIdForIdempotentCreate(callerId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${callerId}\n${idempotencyKey}`).digest();
  const digits = [0, 1, 2].map((i) => String(digest.readUInt32BE(i * 4) % 10_000).padStart(4, '0'));
  return `CAS-${digits.join('-')}`;
}

function randomGroups(count: number): string {
  return Array.from({ length: count }, () => String(randomInt(10_000)).padStart(4, '0')).join('-');
}
