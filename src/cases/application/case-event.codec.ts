import type {
  EventToAppend,
  RecordedEvent,
  SerializedEvent,
} from '../../event-store/event-store.port';
import { caseEventUpcasters, SEALED_FIELDS_SINCE } from '../contract/case-event.upcasters';
import type { StoredMetadata, UpcasterRegistry } from '../contract/upcaster.registry';
import { CASE_EVENT_TYPES, type CaseEvent } from '../domain/case.events';
import type { CaseEventMetadata, CaseHistoryEntry } from '../domain/case.history';

/**
 * How case events are stored: the stream name, the JSON shape and read-time upcasting. Only
 * the case event stream ({@link CaseEventStream}) and the audit tool's checks use it; nothing
 * else ever sees a stored event.
 */
export const CASE_STREAM_PREFIX = 'case-';

export const caseStreamId = (caseId: string): string => `${CASE_STREAM_PREFIX}${caseId}`;

export const caseIdOf = (streamId: string): string => streamId.slice(CASE_STREAM_PREFIX.length);

/** A case event as read back: the history entry plus where and when the store put it. */
export interface CaseEventRecord extends CaseHistoryEntry {
  readonly caseId: string;
  readonly streamId: string;
  readonly position: bigint;
  readonly created: Date;
}

/** A stored event that is not a readable case event where one must be: the history is damaged. */
export class UnreadableCaseEvent extends Error {
  override readonly name = 'UnreadableCaseEvent';
  readonly code = 'CASE_EVENT_UNREADABLE';
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(CASE_EVENT_TYPES);

export const isCaseEventType = (type: string): type is CaseEvent['type'] => KNOWN_TYPES.has(type);

export function encodeCaseEvent(entry: CaseHistoryEntry): EventToAppend {
  return {
    id: entry.eventId,
    type: entry.event.type,
    data: entry.event.data,
    metadata: entry.metadata,
  };
}

/** A stored event in the current shape; events written before versioning read as version 0. */
export function decodeCaseEvent(recorded: RecordedEvent): CaseEventRecord {
  if (!isCaseEventType(recorded.type)) {
    throw new UnreadableCaseEvent(
      `Event ${recorded.id} at position ${recorded.position} in ${recorded.streamId} has unknown type ${recorded.type}`,
    );
  }
  const { data, metadata } = upcastStored(recorded);
  return {
    eventId: recorded.id,
    caseId: caseIdOf(recorded.streamId),
    streamId: recorded.streamId,
    revision: Number(recorded.revision) + 1,
    position: recorded.position,
    created: recorded.created,
    event: { type: recorded.type, data } as CaseEvent,
    metadata: metadata as CaseEventMetadata,
  };
}

/**
 * A decoded case event and whether its envelopes are to be opened: only when it was stored at a
 * version that seals personal fields. Decided from the stored metadata, before upcasting sets
 * every event's version to the current one.
 */
export interface DecodedCaseEvent {
  readonly record: CaseEventRecord;
  readonly sealed: boolean;
}

export function decodeStoredCaseEvent(recorded: RecordedEvent): DecodedCaseEvent {
  return { record: decodeCaseEvent(recorded), sealed: mayHoldSealedFields(recorded.metadata) };
}

/**
 * Whether stored metadata (parsed, as stored) is of a version whose `pii:1:` strings are
 * envelopes: before it, such a string is text someone typed and reads as it is.
 */
export function mayHoldSealedFields(metadata: unknown): boolean {
  const version = (metadata as { schemaVersion?: unknown } | null)?.schemaVersion;
  return typeof version === 'number' && version >= SEALED_FIELDS_SINCE;
}

type Stored = Pick<RecordedEvent, 'id' | 'streamId' | 'type' | 'data' | 'metadata'>;

/** `data` and `metadata` upcast to the current schema version; throws when they cannot be. */
export function upcastStored(
  stored: Stored,
  registry: UpcasterRegistry = caseEventUpcasters,
): { data: unknown; metadata: unknown } {
  const { metadata } = stored;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new UnreadableCaseEvent(`Event ${stored.id} in ${stored.streamId} has no metadata`);
  }
  const version = (metadata as { schemaVersion?: unknown }).schemaVersion ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new UnreadableCaseEvent(
      `Event ${stored.id} in ${stored.streamId} has schemaVersion ${JSON.stringify(version)}`,
    );
  }
  if (version >= registry.currentVersion) return stored;
  return registry.upcastEvent(stored.type, version, {
    data: stored.data,
    metadata: metadata as StoredMetadata,
  });
}

const CURRENT = caseEventUpcasters.currentVersion;
const CURRENT_FIRST = `{"schemaVersion":${CURRENT},`;
const CURRENT_LAST = `,"schemaVersion":${CURRENT}}`;
const CURRENT_ONLY = `{"schemaVersion":${CURRENT}}`;

/**
 * Whether stored metadata text is certainly in the current shape, without parsing it:
 * `schemaVersion` is the current one and the first or last member of the top-level object (the
 * pipeline writes it first; upcasting an event stored without one puts it last), so it cannot
 * belong to a nested object. Metadata of an older version (`{"schemaVersion":1,…}` with
 * `correlationId`) is never current, so its keys are renamed on the parsed path. Anything else
 * is not judged here: it is parsed and upcast, which is always right.
 */
export function isCurrentShape(metadata: string): boolean {
  return (
    metadata.startsWith(CURRENT_FIRST) ||
    metadata.endsWith(CURRENT_LAST) ||
    metadata === CURRENT_ONLY
  );
}

/**
 * The stored event with its JSON text in the current shape: copied when it already is, copied
 * with its version number rewritten when that is all upcasting would change.
 */
export function currentSerialized(stored: SerializedEvent): SerializedEvent {
  if (isCurrentShape(stored.metadata)) return stored;
  const renumbered = renumberedOnly(stored);
  if (renumbered) return renumbered;
  const { data, metadata } = upcastStored({
    ...stored,
    data: JSON.parse(stored.data) as unknown,
    metadata: JSON.parse(stored.metadata) as unknown,
  });
  return { ...stored, data: JSON.stringify(data), metadata: JSON.stringify(metadata) };
}

const VERSION_FIRST = '{"schemaVersion":';
const VERSION_LAST = ',"schemaVersion":';

/**
 * The event with only its metadata's `schemaVersion` rewritten to the current one, when the
 * version is the first or last top-level member (as {@link isCurrentShape} judges) and every
 * upcaster from it on only renumbers; undefined otherwise. Byte for byte what parsing,
 * upcasting and stringifying write: the upcast keeps the member where it was.
 */
function renumberedOnly(stored: SerializedEvent): SerializedEvent | undefined {
  const { metadata } = stored;
  const first = metadata.startsWith(VERSION_FIRST);
  const last = first ? -1 : metadata.lastIndexOf(VERSION_LAST);
  const [from, to] = first
    ? [VERSION_FIRST.length, metadata.indexOf(',', VERSION_FIRST.length)]
    : [last + VERSION_LAST.length, metadata.endsWith('}') && last >= 0 ? metadata.length - 1 : -1];
  const version = metadata.slice(from, to);
  if (to < 0 || !/^(0|[1-9]\d{0,8})$/.test(version)) return undefined;
  // A newer version than this build knows is passed through by upcasting, not renumbered.
  if (Number(version) >= CURRENT) return undefined;
  if (!caseEventUpcasters.renumbersOnly(stored.type, Number(version))) return undefined;
  return { ...stored, metadata: `${metadata.slice(0, from)}${CURRENT}${metadata.slice(to)}` };
}
