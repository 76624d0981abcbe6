import type { CaseEvent } from '../domain/case.events';
import { CASE_EVENT_TYPES } from '../domain/case.events';
import type { CaseEventMetadata, CaseHistoryEntry } from '../domain/case.history';
import type { EventStore, EventToAppend, RecordedEvent } from '../../event-store/event-store.port';
import { caseEventUpcasters } from '../contract/case-event.upcasters';
import type { UpcasterRegistry } from '../contract/upcaster.registry';
import type { CaseHistoryCache } from './case-history.cache';

export const CASE_STREAM_PREFIX = 'case-';

export const caseStreamId = (caseId: string): string => `${CASE_STREAM_PREFIX}${caseId}`;

/** A stored event that is not a case event where one must be: the history is damaged. */
export class UnreadableCaseEvent extends Error {
  override readonly name = 'UnreadableCaseEvent';
}

/**
 * A stored event in the current shape: every read (history, feed, audit tooling) goes through
 * here, so nothing past it ever sees an old `schemaVersion`. Events written before versioning
 * carry no `schemaVersion` and read as version 0.
 */
export function upcastRecordedEvent(recorded: RecordedEvent): RecordedEvent {
  return upcastRecordedEventWith(caseEventUpcasters, recorded);
}

export function upcastRecordedEventWith(
  registry: UpcasterRegistry,
  recorded: RecordedEvent,
): RecordedEvent {
  const metadata = recorded.metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new UnreadableCaseEvent(`Event ${recorded.id} in ${recorded.streamId} has no metadata`);
  }
  const version = (metadata as { schemaVersion?: unknown }).schemaVersion ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new UnreadableCaseEvent(
      `Event ${recorded.id} in ${recorded.streamId} has schemaVersion ${JSON.stringify(version)}`,
    );
  }
  if (version >= registry.currentVersion) return recorded;
  return {
    ...recorded,
    data: registry.upcast(recorded.type, version, recorded.data),
    metadata: { ...metadata, schemaVersion: registry.currentVersion },
  };
}

export function toHistoryEntry(stored: RecordedEvent): CaseHistoryEntry {
  if (!CASE_EVENT_TYPES.includes(stored.type as CaseEvent['type'])) {
    throw new UnreadableCaseEvent(
      `Event ${stored.id} in ${stored.streamId} has unknown type ${stored.type}`,
    );
  }
  const recorded = upcastRecordedEvent(stored);
  return {
    eventId: recorded.id,
    revision: Number(recorded.revision) + 1,
    event: { type: recorded.type, data: recorded.data } as CaseEvent,
    metadata: recorded.metadata as CaseEventMetadata,
  };
}

/**
 * A case's history, oldest first; empty when the case does not exist. With a cache, only the
 * events after the cached ones are read and decoded (see {@link CaseHistoryCache}); the answer
 * is the same as without it.
 */
export async function loadCaseHistory(
  store: EventStore,
  caseId: string,
  cache?: CaseHistoryCache,
): Promise<CaseHistoryEntry[]> {
  const cached = cache?.get(caseId);
  if (cache && cached) {
    const tail = await readHistory(store, caseId, cached.length);
    if (continuesFrom(cached.length, tail)) {
      const history = cached.concat(tail);
      if (tail.length > 0) cache.set(caseId, history);
      return history;
    }
    // Not the continuation of what is cached: trust only a full read.
    cache.delete(caseId);
  }
  const history = await readHistory(store, caseId, 0);
  if (cache && continuesFrom(0, history)) cache.set(caseId, history);
  return history;
}

async function readHistory(
  store: EventStore,
  caseId: string,
  fromRevision: number,
): Promise<CaseHistoryEntry[]> {
  const history: CaseHistoryEntry[] = [];
  const options = fromRevision > 0 ? { fromRevision: BigInt(fromRevision) } : undefined;
  for await (const recorded of store.readStream(caseStreamId(caseId), options)) {
    history.push(toHistoryEntry(recorded));
  }
  return history;
}

/** True when `entries` are revisions `revision + 1`, `revision + 2`, … without a gap. */
function continuesFrom(revision: number, entries: readonly CaseHistoryEntry[]): boolean {
  return entries.every((entry, i) => entry.revision === revision + i + 1);
}

export function toEventToAppend(
  id: string,
  event: CaseEvent,
  metadata: CaseEventMetadata,
): EventToAppend {
  return { id, type: event.type, data: event.data, metadata };
}
