/**
 * EventStoreDB refuses an append whose events together exceed its `MaxAppendSize` (1 MiB by
 * default), measuring each event as its `Event.SizeOnDisk`: the bytes of data and metadata as
 * sent plus two bytes per character of the type. The embedded store applies the same measure
 * and limit, so a case that can be written on one store can be written on the other.
 */
import type { EventToAppend } from './event-store.port';

export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;

/** What the EventStoreDB adapter sends: JSON, bigints as decimal strings, no metadata if empty. */
const jsonBytes = (value: unknown): number =>
  Buffer.byteLength(
    JSON.stringify(value, (_key, item: unknown) =>
      typeof item === 'bigint' ? item.toString() : item,
    ) ?? '',
    'utf8',
  );

export function appendSize(events: readonly EventToAppend[]): number {
  let size = 0;
  for (const event of events) {
    size += jsonBytes(event.data ?? null) + event.type.length * 2;
    if (event.metadata) size += jsonBytes(event.metadata);
  }
  return size;
}

/**
 * The same measure over the events' JSON as the embedded store writes it (`written[i]` is
 * `events[i]` serialised), so each event is turned into JSON once, not twice.
 */
export function serializedAppendSize(
  events: readonly EventToAppend[],
  written: readonly { data: string; metadata: string }[],
): number {
  let size = 0;
  events.forEach((event, i) => {
    size += Buffer.byteLength(written[i]!.data, 'utf8') + event.type.length * 2;
    if (event.metadata) size += Buffer.byteLength(written[i]!.metadata, 'utf8');
  });
  return size;
}
