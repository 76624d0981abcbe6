import { CASE_EVENT_SCHEMA_VERSION } from '../cases/domain/case.events';
import type { EventStore, ReadAllOptions, RecordedEvent } from '../event-store/event-store.port';
import type { StoredEventRow } from '../event-store/sqlite/sqlite.reader';

export type { StoredEventRow };

/** Column indexes of a {@link StoredEventRow}. */
export const STORED = {
  position: 0,
  revision: 1,
  created: 2,
  streamId: 3,
  eventId: 4,
  type: 5,
  data: 6,
  metadata: 7,
} as const;

/**
 * An optional capability of the embedded store as the audit tool opens it: all events, a page
 * at a time, with `data` and `metadata` as the stored JSON text. The port does not have it (an
 * EventStoreDB client hands out parsed events anyway); commands use it when it is there.
 */
export interface StoredRowSource {
  readAllRows(options?: ReadAllOptions): AsyncIterable<readonly StoredEventRow[]>;
}

export function storedRowSource(store: EventStore): StoredRowSource | undefined {
  const candidate = store as EventStore & Partial<StoredRowSource>;
  return typeof candidate.readAllRows === 'function' ? (candidate as StoredRowSource) : undefined;
}

const CURRENT_FIRST = `{"schemaVersion":${CASE_EVENT_SCHEMA_VERSION},`;
const CURRENT_LAST = `,"schemaVersion":${CASE_EVENT_SCHEMA_VERSION}}`;
const CURRENT_ONLY = `{"schemaVersion":${CASE_EVENT_SCHEMA_VERSION}}`;

/**
 * Whether stored metadata text is certainly already in the current shape, without parsing it:
 * `schemaVersion` is the current one and is the first or the last member of the top-level
 * object (the writer's `JSON.stringify` puts the pipeline's `schemaVersion` first; an upcast
 * spread puts it last), so it cannot be a member of a nested object. Anything else is not
 * judged here: the caller parses and upcasts it, which is always right, only slower.
 */
export function isCurrentShape(metadata: string): boolean {
  return (
    metadata.startsWith(CURRENT_FIRST) ||
    metadata.endsWith(CURRENT_LAST) ||
    metadata === CURRENT_ONLY
  );
}

/** The `RecordedEvent` the reader would have built from this row. */
export function toRecordedEvent(row: StoredEventRow): RecordedEvent {
  return {
    id: row[STORED.eventId],
    type: row[STORED.type],
    data: JSON.parse(row[STORED.data]) as unknown,
    metadata: JSON.parse(row[STORED.metadata]) as unknown,
    streamId: row[STORED.streamId],
    revision: exactBigInt(row[STORED.revision]),
    position: exactBigInt(row[STORED.position]),
    created: new Date(row[STORED.created]),
  };
}

/** Integers arrive as doubles: exact below 2^53, as the reader checks. */
export function exactBigInt(value: number): bigint {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${value} is beyond exact double precision.`);
  return BigInt(value);
}
