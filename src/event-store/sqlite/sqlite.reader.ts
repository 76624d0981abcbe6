import type Database from 'better-sqlite3';
import { StoreUnavailable } from '../event-store.errors';
import type { RecordedEvent } from '../event-store.port';
import { openReadConnection } from './sqlite.schema';

/** `[position, revision, created, streamId, eventId, type, data, metadata]` */
type EventTuple = [number, number, number, string, string, string, unknown, unknown];

const ROWS =
  'SELECT position, stream_id, revision, event_id, type, data, metadata, created FROM events';

/**
 * Each page comes back as one JSON text built inside SQLite and parsed with one JSON.parse:
 * turning every column of every row into its own JS string, then parsing data and metadata one
 * by one, costs far more than the bytes themselves, and loading a long case is on the hot path.
 * `data` and `metadata` are stored as JSON text already, so they are spliced in verbatim.
 * group_concat's order is unspecified, so the page is re-sorted after parsing (a linear pass
 * when it is already in order, as it is in practice).
 */
const AS_ONE_JSON_TEXT = `format('[%d,%d,%d,%s,%s,%s,%s,%s]', position, revision, created,
  json_quote(stream_id), json_quote(event_id), json_quote(type), data, metadata)`;
const pageQuery = (rows: string) =>
  `SELECT coalesce('[' || group_concat(${AS_ONE_JSON_TEXT}, ',') || ']', '[]') FROM (${rows})`;

const byRevision = (a: EventTuple, b: EventTuple) => a[1] - b[1];
const byRevisionDescending = (a: EventTuple, b: EventTuple) => b[1] - a[1];
const byPosition = (a: EventTuple, b: EventTuple) => a[0] - b[0];

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
    const page = (rows: string) => this.db.prepare(pageQuery(rows)).pluck();
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
      ? parsePage(
          this.statements.forwards.get({ streamId, from: fromRevision ?? 0n, limit }),
          byRevision,
        )
      : parsePage(
          this.statements.backwards.get({ streamId, from: fromRevision ?? MAX_INTEGER, limit }),
          byRevisionDescending,
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
    const json = streamPrefix
      ? this.statements.allWithPrefix.get({ after, upTo, limit, prefix: streamPrefix })
      : this.statements.all.get({ after, upTo, limit });
    return parsePage(json, byPosition);
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

function parsePage(
  json: unknown,
  order: (a: EventTuple, b: EventTuple) => number,
): RecordedEvent[] {
  return (JSON.parse(json as string) as EventTuple[]).sort(order).map(toRecordedEvent);
}

function toRecordedEvent(tuple: EventTuple): RecordedEvent {
  const [position, revision, created, streamId, id, type, data, metadata] = tuple;
  return {
    id,
    type,
    data,
    metadata,
    streamId,
    revision: exactBigInt(revision),
    position: exactBigInt(position),
    created: new Date(created),
  };
}

/** JSON numbers are doubles: exact for any number of events one file will ever hold (< 2^53). */
function exactBigInt(value: number): bigint {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is beyond exact JSON numbers.`);
  return BigInt(value);
}
