import type Database from 'better-sqlite3';
import { StoreUnavailable } from '../event-store.errors';
import type { RecordedEvent, SerializedEvent } from '../event-store.port';
import { openReadConnection } from './sqlite.schema';

/** `[position, revision, created, streamId, eventId, type, data, metadata]` */
type EventRow = [number, number, number, string, string, string, string, string];

/** One stored event as `allRowsWithin` returns it: the columns of {@link EventRow}, unconverted. */
export type StoredEventRow = Readonly<EventRow>;

const ROWS =
  'SELECT position, revision, created, stream_id, event_id, type, data, metadata FROM events';

const MAX_INTEGER = 9223372036854775807n;

/**
 * The main thread's read-only connection. Every page is its own short read transaction, so a
 * slow consumer never pins an old WAL snapshot (which would stop checkpoints), and since the
 * writer replies only after its commit is on disk, a reader sees only durable events.
 */
export class SqliteReader {
  private readonly db: Database.Database;
  private readonly statements;
  private closed = false;

  constructor(file: string) {
    this.db = openReadConnection(file);
    // Rows as arrays, `data` and `metadata` parsed one by one: measured against building the
    // page as one JSON text inside SQLite, this is as fast on a 10,000-event case and ~30% faster
    // on the short and empty reads every command makes.
    const page = (rows: string) => this.db.prepare(rows).raw();
    this.statements = {
      forwards: page(`${ROWS} WHERE stream_id = @streamId AND revision >= @from
        ORDER BY revision ASC LIMIT @limit`),
      backwards: page(`${ROWS} WHERE stream_id = @streamId AND revision <= @from
        ORDER BY revision DESC LIMIT @limit`),
      all: page(`${ROWS} WHERE position > @after AND position <= @upTo
        ORDER BY position ASC LIMIT @limit`),
      // substr() rather than a range on stream_id keeps the planner walking positions in order
      // instead of sorting a stream_id range: `case-` matches nearly every event.
      allWithPrefix: page(`${ROWS} WHERE position > @after AND position <= @upTo
        AND substr(stream_id, 1, length(@prefix)) = @prefix
        ORDER BY position ASC LIMIT @limit`),
      head: this.db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck().safeIntegers(),
      ping: this.db.prepare('SELECT 1').pluck(),
    };
  }

  /** One page of a stream, from `fromRevision` inclusive (the end when backwards and omitted). */
  streamPage(
    streamId: string,
    direction: 'forwards' | 'backwards',
    fromRevision: bigint | undefined,
    limit: number,
  ): RecordedEvent[] {
    this.assertOpen();
    return direction === 'forwards'
      ? toRecordedEvents(
          this.statements.forwards.all({ streamId, from: fromRevision ?? 0n, limit }),
        )
      : toRecordedEvents(
          this.statements.backwards.all({ streamId, from: fromRevision ?? MAX_INTEGER, limit }),
        );
  }

  /** One page of all events with `after < position <= upTo`, in position order. */
  allPage(
    after: bigint,
    upTo: bigint,
    streamPrefix: string | undefined,
    limit: number,
  ): RecordedEvent[] {
    this.assertOpen();
    return toRecordedEvents(
      streamPrefix
        ? this.statements.allWithPrefix.all({ after, upTo, limit, prefix: streamPrefix })
        : this.statements.all.all({ after, upTo, limit }),
    );
  }

  /**
   * Rows with `after < position <= upTo`, as stored, up to `maxEvents` of them and stopping
   * after the row that brings the `data` and `metadata` text read to `maxBytes`: a page of
   * 200 KB events is a few events, not a few hundred. `cut` says the range may hold more.
   * Rows are stepped one at a time and the statement is reset at the stop, all in this one
   * synchronous call, so the shared connection is free again when it returns.
   */
  allRowsWithin(
    after: bigint,
    upTo: bigint,
    streamPrefix: string | undefined,
    { maxEvents, maxBytes }: { maxEvents: number; maxBytes: number },
  ): { rows: StoredEventRow[]; cut: boolean } {
    this.assertOpen();
    const rows = (
      streamPrefix
        ? this.statements.allWithPrefix.iterate({
            after,
            upTo,
            limit: maxEvents,
            prefix: streamPrefix,
          })
        : this.statements.all.iterate({ after, upTo, limit: maxEvents })
    ) as IterableIterator<EventRow>;
    const page: StoredEventRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      page.push(row);
      bytes += row[6].length + row[7].length;
      // Leaving the loop early calls the iterator's return(), which resets the statement.
      if (bytes >= maxBytes) break;
    }
    return { rows: page, cut: bytes >= maxBytes || page.length === maxEvents };
  }

  /** `allPage` with `data` and `metadata` left as the JSON text the writer stored. */
  allPageSerialized(
    after: bigint,
    upTo: bigint,
    streamPrefix: string | undefined,
    limit: number,
  ): SerializedEvent[] {
    this.assertOpen();
    const rows = (
      streamPrefix
        ? this.statements.allWithPrefix.all({ after, upTo, limit, prefix: streamPrefix })
        : this.statements.all.all({ after, upTo, limit })
    ) as EventRow[];
    return rows.map(toSerializedEvent);
  }

  /** The last committed position (0 when the store is empty). */
  head(): bigint {
    this.assertOpen();
    return this.statements.head.get() as bigint;
  }

  ping(): void {
    this.assertOpen();
    this.statements.ping.get();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailable('The event store is closed.');
  }
}

function toRecordedEvents(rows: unknown[]): RecordedEvent[] {
  return (rows as EventRow[]).map(toRecordedEvent);
}

export function toRecordedEvent(row: StoredEventRow): RecordedEvent {
  const [position, revision, created, streamId, id, type, data, metadata] = row;
  return {
    id,
    type,
    data: JSON.parse(data) as unknown,
    metadata: JSON.parse(metadata) as unknown,
    streamId,
    revision: exactBigInt(revision),
    position: exactBigInt(position),
    created: new Date(created),
  };
}

function toSerializedEvent(row: EventRow): SerializedEvent {
  const [position, revision, created, streamId, id, type, data, metadata] = row;
  return {
    id,
    type,
    streamId,
    revision: exactBigInt(revision),
    position: exactBigInt(position),
    created: new Date(created),
    data,
    metadata,
  };
}

/** Integers arrive as doubles: exact for any number of events one file will ever hold (< 2^53). */
function exactBigInt(value: number): bigint {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${value} is beyond exact double precision.`);
  return BigInt(value);
}
