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
  const fetch = reader.allPage.bind(reader);
  for await (const page of pagesOfAll(reader, pageSize, options, fetch)) yield* page;
}

/** `readAllInPages` a page at a time, with the stored JSON text unparsed. */
export function readAllSerializedInPages(
  reader: SqliteReader,
  pageSize: number,
  options: ReadAllOptions = {},
): AsyncGenerator<readonly SerializedEvent[]> {
  return pagesOfAll(reader, pageSize, options, reader.allPageSerialized.bind(reader));
}

/** The pages of all events after `options.after` up to the head at the start, in position order. */
async function* pagesOfAll<T extends { readonly position: bigint }>(
  reader: SqliteReader,
  pageSize: number,
  options: ReadAllOptions,
  fetch: (after: bigint, upTo: bigint, prefix: string | undefined, limit: number) => T[],
): AsyncGenerator<readonly T[]> {
  const head = reader.head();
  let after = options.after ?? 0n;
  let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining);
    const page = fetch(after, head, options.streamPrefix, limit);
    if (page.length > 0) yield page;
    if (page.length < limit) return;
    remaining -= page.length;
    after = page[page.length - 1]!.position;
  }
}
