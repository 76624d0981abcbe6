import { randomUUID } from 'node:crypto';
import { WrongExpectedRevision } from '../event-store/event-store.errors';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import type { PersonalDataVault } from './personal-data.vault';

/** Whose data may be erased: a user id, as on the helpdesk platform (`USR-1234-5678`). */
export const USER_ID = /^USR(-\d{4}){2,4}$/;

/** Every erasure of one person is recorded in that person's own stream. */
export const ERASURE_STREAM_PREFIX = 'personal-data-';
export const erasureStreamId = (subjectId: string) => `${ERASURE_STREAM_PREFIX}${subjectId}`;
export const PERSONAL_DATA_ERASED = 'PersonalDataErased';
export const ERASURE_SCHEMA_VERSION = 1;

export interface PersonalDataErasedData {
  readonly identity: { readonly id: string };
  /** Ids of the data keys destroyed (random ids: they say nothing about the person). */
  readonly keyIds: readonly string[];
  readonly erasedAt: string;
}

/** What an erasure request answers: the person's latest erasure, or that there was none. */
export interface ErasureRecord {
  readonly identity: { readonly id: string };
  readonly status: 'Erased' | 'NothingToErase';
  /** When the person's data was (last) erased; null when nothing was ever held. */
  readonly erasedAt: string | null;
  /** Global position of the `PersonalDataErased` event; what a follower must reach. */
  readonly position?: bigint;
}

/** Who asked: recorded without a name, so the erasure record holds no personal data itself. */
export interface ErasureRequester {
  readonly id: string;
  readonly accountId: string;
  readonly accountType: string;
  readonly correlationId?: string;
}

/**
 * Forgetting a person: destroy their data keys (which erases their data in every event, every
 * copy and every backup of the events at once), then record `PersonalDataErased` in their own
 * stream so every consumer can drop what it held in clear. Idempotent and safe to retry after a
 * crash between the two steps: keys destroyed but not yet recorded are recorded by the next
 * request, and a request with nothing new to destroy appends nothing.
 */
export class PersonalDataErasures {
  constructor(
    private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
  ) {}

  async erase(subjectId: string, requester: ErasureRequester, now: Date): Promise<ErasureRecord> {
    await this.vault.forget(subjectId, now.toISOString());
    for (let attempt = 0; ; attempt += 1) {
      const recorded = await this.recorded(subjectId);
      const known = new Set(recorded.flatMap((event) => event.data.keyIds));
      const pending = (await this.vault.erasedKeyIds(subjectId)).filter((id) => !known.has(id));
      const last = recorded.at(-1);
      if (pending.length === 0) {
        return last
          ? recordOf(last)
          : { identity: { id: subjectId }, status: 'NothingToErase', erasedAt: null };
      }
      const data: PersonalDataErasedData = {
        identity: { id: subjectId },
        keyIds: pending,
        erasedAt: now.toISOString(),
      };
      try {
        const { position } = await this.store.appendToStream(
          erasureStreamId(subjectId),
          [
            {
              id: randomUUID(),
              type: PERSONAL_DATA_ERASED,
              data,
              metadata: metadataOf(requester, now),
            },
          ],
          { expectedRevision: last ? last.revision : 'no_stream' },
        );
        return { identity: { id: subjectId }, status: 'Erased', erasedAt: data.erasedAt, position };
      } catch (error) {
        // Another request recorded the same erasure first: answer with theirs.
        if (!(error instanceof WrongExpectedRevision) || attempt >= 3) throw error;
      }
    }
  }

  /** Every erasure of every person after `after`, catching up and then live. */
  follow(after?: bigint) {
    return this.store.subscribeToAll({ after, streamPrefix: ERASURE_STREAM_PREFIX });
  }

  private async recorded(subjectId: string): Promise<Erasure[]> {
    const events: Erasure[] = [];
    for await (const event of this.store.readStream(erasureStreamId(subjectId))) {
      if (event.type === PERSONAL_DATA_ERASED) events.push(erasureOf(event));
    }
    return events;
  }
}

interface Erasure {
  readonly revision: bigint;
  readonly position: bigint;
  readonly data: PersonalDataErasedData;
}

/** The erasure a stored event records; tolerant of fields a later version may add. */
export function erasureOf(event: RecordedEvent): Erasure {
  const data = event.data as Partial<PersonalDataErasedData>;
  const id = data.identity?.id ?? event.streamId.slice(ERASURE_STREAM_PREFIX.length);
  return {
    revision: event.revision,
    position: event.position,
    data: {
      identity: { id },
      keyIds: Array.isArray(data.keyIds) ? data.keyIds : [],
      erasedAt: data.erasedAt ?? event.created.toISOString(),
    },
  };
}

const recordOf = (erasure: Erasure): ErasureRecord => ({
  identity: erasure.data.identity,
  status: 'Erased',
  erasedAt: erasure.data.erasedAt,
  position: erasure.position,
});

const metadataOf = (requester: ErasureRequester, now: Date) => ({
  schemaVersion: ERASURE_SCHEMA_VERSION,
  occurredAt: now.toISOString(),
  actor: {
    id: requester.id,
    accountId: requester.accountId,
    accountType: requester.accountType,
  },
  ...(requester.correlationId ? { $correlationId: requester.correlationId } : {}),
});
