/**
 * Conversions between the port's events and the client's. Data and metadata travel as JSON
 * (`application/json`); revisions and positions stay bigint end to end.
 */
import {
  jsonEvent,
  type EventData,
  type JSONType,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { AppendResult, EventToAppend, RecordedEvent } from '../event-store.port';

/** What older servers put in a stream read's position field when they do not know it. */
const UNKNOWN_POSITION = 0xffff_ffff_ffff_ffffn;

export function toEventData(event: EventToAppend): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: withoutBigints(event.data) as JSONType,
    metadata: withoutBigints(event.metadata),
  });
}

export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent {
  const event = resolved.event;
  // Links are never resolved by this adapter, so every delivered record carries its event.
  if (!event) throw new Error('EventStoreDB delivered a record without an event');
  const position =
    ('position' in event ? event.position?.commit : undefined) ?? resolved.commitPosition;
  if (position === undefined || position === UNKNOWN_POSITION) {
    throw new Error(
      `EventStoreDB did not report the $all position of ${event.streamId}@${event.revision}; ` +
        'the adapter needs a server that reports positions on stream reads (22.6 or later).',
    );
  }
  return jsonSafe({
    id: event.id,
    type: event.type,
    data: event.data as unknown,
    metadata: event.metadata as unknown,
    streamId: event.streamId,
    revision: event.revision,
    position,
    created: event.created,
  });
}

export function toAppendResult(nextExpectedRevision: bigint, position: bigint): AppendResult {
  return jsonSafe({ nextExpectedRevision, position });
}

/**
 * Gives the object a non-enumerable `toJSON` that writes bigints as decimal strings, so
 * logging or serialising a recorded event never throws, and deep equality is unchanged.
 */
function jsonSafe<T extends object>(value: T): T {
  Object.defineProperty(value, 'toJSON', {
    value: () => withoutBigints({ ...value }),
    enumerable: false,
  });
  return value;
}

/**
 * JSON cannot carry bigints, so they are written as decimal strings (they read back as
 * strings). Returns the input itself when it holds none, which is the usual case.
 */
export function withoutBigints(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map(withoutBigints);
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const converted = withoutBigints(item);
    if (converted !== item) copy ??= { ...value };
    if (copy) copy[key] = converted;
  }
  return copy ?? value;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
