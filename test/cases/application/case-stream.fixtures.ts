/** Case events written straight to a store, and a store that records its stream reads. */
import { randomUUID } from 'node:crypto';
import { caseStreamId } from '../../../src/cases/application/case-event.codec';
import { CASE_EVENT_SCHEMA_VERSION, type CaseEvent } from '../../../src/cases/domain/case.events';
import type { CaseHistoryEntry } from '../../../src/cases/domain/case.history';
import type {
  EventStore,
  ReadStreamOptions,
  RecordedEvent,
} from '../../../src/event-store/event-store.port';
import { DEV_PRINCIPALS } from '../../../src/identity/dev-tokens';

/** The store, with each readStream's options recorded; optionally an adapter that ignores `fromRevision`. */
export function readsRecorded(
  store: EventStore,
  reads: (ReadStreamOptions | undefined)[],
  { ignoreFromRevision = false } = {},
): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'readStream') return Reflect.get(target, property, receiver) as unknown;
      return (streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> => {
        reads.push(options);
        return target.readStream(streamId, ignoreFromRevision ? undefined : options);
      };
    },
  });
}

/** Another writer: straight to the store, past the stream and its cache. */
export async function appendRaw(store: EventStore, caseId: string, from: number, count: number) {
  const entries = Array.from({ length: count }, (_, i) => entry(caseId, from + i));
  const { position } = await store.appendToStream(
    caseStreamId(caseId),
    entries.map((e) => ({
      id: e.eventId,
      type: e.event.type,
      data: e.event.data,
      metadata: e.metadata,
    })),
    { expectedRevision: from === 0 ? 'no_stream' : BigInt(from - 1) },
  );
  return position;
}

export async function countEvents(store: EventStore, caseId: string): Promise<number> {
  let count = 0;
  for await (const _ of store.readStream(caseStreamId(caseId))) count += 1;
  return count;
}

export function entry(caseId: string, revision: number, idempotencyKey?: string): CaseHistoryEntry {
  return {
    eventId: randomUUID(),
    revision: revision + 1,
    event: event(caseId, revision),
    metadata: {
      schemaVersion: CASE_EVENT_SCHEMA_VERSION,
      occurredAt: '2026-11-24T10:00:00.000Z',
      actor: { ...DEV_PRINCIPALS.operations },
      $correlationId: 'corr-stream-1',
      $causationId: randomUUID(),
      ...(idempotencyKey ? { idempotencyKey, requestHash: 'hash' } : {}),
    },
  };
}

export function event(caseId: string, revision: number): CaseEvent {
  return revision === 0
    ? {
        type: 'CaseCreated',
        data: {
          caseId,
          chat: { id: 'CHT-0000-0000-0001', type: 'case' },
          queue: { id: 'HQU-1234-1234' },
          account: { id: 'ACC-6685-9632', name: 'Stark Industries' },
          reporter: { id: 'USR-6375-2500', name: 'Jane Doe' },
          assignee: null,
          parameters: [],
        },
      }
    : { type: 'CaseAwaitingChanged', data: { awaiting: revision % 2 === 1 } };
}
