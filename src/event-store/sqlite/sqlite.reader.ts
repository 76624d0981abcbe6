import type Database from 'better-sqlite3';
import { StoreUnavailable } from '../event-store.errors';
import type { RecordedEvent } from '../event-store.port';
import { openReadConnection } from './sqlite.schema';

/** `[position, revision, created, streamId, eventId, type, data, metadata]` */
type EventTuple = [number, number, number, string, string, string, unknown, unknown];

/**
 * Each page comes back as one JSON text built inside SQLite and parsed with one JSON.parse:
 * turning every row's columns into separate JS strings and parsing data and metadata one by
 * one costs far more than the bytes themselves, and loading a long case is on the hot path.
 * `data` and `metadata` are stored as JSON text already, so they are spliced in verbatim.
 */
const pageOf = (order: string, source: string) => `
  SELECT coalesce('[' || group_concat(
    '[' || position || ',' || revision || ',' || created || ',' || json_quote(stream_id) || ','
        || json_quote(event_id) || ',' || json_quote(type) || ',' || data || ',' || metadata || ']',
    ',' ORDER BY ${order}) || ']', '[]')
  FROM (${source})`;

const ROWS =
  'SELECT position, stream_id, revision, event_id, type, data, metadata, created FROM events';
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
    const page = (order: string, source: string) => this.db.prepare(pageOf(order, source)).pluck();
    this.statements = {
      forwards: page(
        'revision ASC',
        `${ROWS} WHERE stream_id = ?1 AND revision >= ?2 ORDER BY revision ASC LIMIT ?3`,
      ),
      backwards: page(
        'revision DESC',
        `${ROWS} WHERE stream_id = ?1 AND revision <= ?2 ORDER BY revision DESC LIMIT ?3`,
      ),
      all: page(
        'position ASC',
        `${ROWS} WHERE position > ?1 AND position <= ?2 ORDER BY position ASC LIMIT ?3`,
      ),
      // substr() keeps the planner on the position order instead of a stream_id range that
      // would have to be sorted: `case-` matches nearly every event.
      allWithPrefix: page(
        'position ASC',
        `${ROWS} WHERE position > ?1 AND position <= ?2 AND substr(stream_id, 1, length(?4)) = ?4
         ORDER BY position ASC LIMIT ?3`,
      ),
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
    const json =
      direction === 'forwards'
        ? this.statements.forwards.get(streamId, fromRevision ?? 0n, limit)
        : this.statements.backwards.get(streamId, fromRevision ?? MAX_INTEGER, limit);
    return parsePage(json as string);
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
      ? this.statements.allWithPrefix.get(after, upTo, limit, streamPrefix)
      : this.statements.all.get(after, upTo, limit);
    return parsePage(json as string);
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

function parsePage(json: string): RecordedEvent[] {
  return (JSON.parse(json) as EventTuple[]).map(toRecordedEvent);
}

function toRecordedEvent([
  position,
  revision,
  created,
  streamId,
  id,
  type,
  data,
  metadata,
]: EventTuple): RecordedEvent {
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

/** JSON numbers are doubles: fine for any count of events a single file will hold (< 2^53). */
function exactBigInt(value: number): bigint {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is beyond exact JSON numbers.`);
  return BigInt(value);
}
