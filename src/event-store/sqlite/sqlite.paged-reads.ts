import type {
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SerializedEvent,
} from '../event-store.port';
import type { SqliteReader } from './sqlite.reader';

/**
 * The port's reads over a {@link SqliteReader}, a page at a time: the service's store and the
 * audit tool's read-only store share them, so both page (and stop) exactly alike.
 */
export async function* readStreamInPages(
  reader: SqliteReader,
  pageSize: number,
  streamId: string,
  options: ReadStreamOptions = {},
): AsyncGenerator<RecordedEvent> {
  const direction = options.direction ?? 'forwards';
  let from = options.fromRevision;
  let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining);
    const page = reader.streamPage(streamId, direction, from, limit);
    yield* page;
    if (page.length < limit) return;
    remaining -= page.length;
    const last = page[page.length - 1]!.revision;
    from = direction === 'forwards' ? last + 1n : last - 1n;
    if (from < 0n) return;
  }
}

/** Reads up to the head as it was when the read started, so a long export has an end. */
export async function* readAllInPages(
  reader: SqliteReader,
  pageSize: number,
  options: ReadAllOptions = {},
): AsyncGenerator<RecordedEvent> {
  const head = reader.head();
  let after = options.after ?? 0n;
  let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining);
    const page = reader.allPage(after, head, options.streamPrefix, limit);
    yield* page;
    if (page.length < limit) return;
    remaining -= page.length;
    after = page[page.length - 1]!.position;
  }
}

/** `readAllInPages` a page at a time, with the stored JSON text unparsed. */
export async function* readAllSerializedInPages(
  reader: SqliteReader,
  pageSize: number,
  options: ReadAllOptions = {},
): AsyncGenerator<readonly SerializedEvent[]> {
  const head = reader.head();
  let after = options.after ?? 0n;
  let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining);
    const page = reader.allPageSerialized(after, head, options.streamPrefix, limit);
    if (page.length > 0) yield page;
    if (page.length < limit) return;
    remaining -= page.length;
    after = page[page.length - 1]!.position;
  }
}
