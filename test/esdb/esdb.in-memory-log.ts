import { randomUUID } from 'node:crypto';

/**
 * The in-memory transaction log behind the wire-level EventStoreDB test server. It keeps what
 * the server's storage would: streams with 0-based revisions and one `$all` order whose
 * positions are byte-like offsets (increasing, not contiguous), so tests cannot come to rely on
 * positions being event counts. Every event is its own implicit transaction, as gRPC appends
 * are on a real server, so an event's commit and prepare positions are equal.
 */

export interface StoredRecord {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly type: string;
  readonly contentType: string;
  /** Ticks of 100 ns since the Unix epoch, as the server's `created` metadata carries it. */
  readonly createdTicks: bigint;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type ProposedRecord = Pick<
  StoredRecord,
  'id' | 'type' | 'contentType' | 'data' | 'customMetadata'
>;

export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type AppendOutcome =
  | {
      readonly ok: true;
      readonly currentRevision: bigint | undefined;
      readonly position: bigint | undefined;
    }
  | { readonly ok: false; readonly currentRevision: bigint | undefined };

/** Bytes a record header takes in the fake log; only shapes the spacing of positions. */
const RECORD_OVERHEAD = 96n;
/** The node's own statistics stream, written to every so often as a real node does. */
export const STATS_STREAM = '$stats-127.0.0.1:2113';
const USER_EVENTS_PER_STATS_RECORD = 16;
export const LINK_EVENT_TYPE = '$>';
/** What a client's `setStreamMetadata` appends to `$$<stream>`. */
const METADATA_EVENT_TYPE = '$metadata';

export interface InMemoryEventLogOptions {
  /**
   * Interleave what a real node with projections running writes into `$all`: a `$>` link in
   * `$ce-<category>` for every event of a user stream (the `$by_category` projection, category
   * = the stream name up to its first `-`) and a `$statsCollected` record now and then.
   * Default true.
   */
  readonly systemRecords?: boolean;
}

export class InMemoryEventLog {
  private readonly records: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly listeners = new Set<(record: StoredRecord) => void>();
  private nextPosition: bigint;
  private readonly systemRecords: boolean;
  private userEvents = 0;

  /** `firstPosition` lets tests put positions beyond Number.MAX_SAFE_INTEGER. */
  constructor(firstPosition = 0n, options: InMemoryEventLogOptions = {}) {
    this.nextPosition = firstPosition;
    this.systemRecords = options.systemRecords ?? true;
    if (this.systemRecords) this.writeStats();
  }

  get all(): readonly StoredRecord[] {
    return this.records;
  }

  stream(streamId: string): readonly StoredRecord[] | undefined {
    return this.streams.get(streamId);
  }

  /**
   * The events a stream read may return, as the server's index reader decides: none before the
   * stream metadata's `$tb` (truncate before) nor before the last `$maxCount`; a metastream
   * (`$$<stream>`) keeps only its last event. `$all` reads bypass this (the server reads them
   * from the log, where hidden events stay until a scavenge), and so does the double.
   */
  visible(streamId: string): readonly StoredRecord[] | undefined {
    const stream = this.streams.get(streamId);
    if (!stream) return undefined;
    const { maxCount, truncateBefore } = streamId.startsWith('$$')
      ? { maxCount: 1, truncateBefore: undefined }
      : this.metadataOf(streamId);
    let first = truncateBefore ?? 0;
    if (maxCount !== undefined) first = Math.max(first, stream.length - maxCount);
    return first > 0 ? stream.slice(first) : stream;
  }

  /** `$maxCount` and `$tb` of the last `$metadata` event in `$$<stream>`, when whole numbers. */
  private metadataOf(streamId: string): { maxCount?: number; truncateBefore?: number } {
    const last = this.streams.get(`$$${streamId}`)?.at(-1);
    if (!last || last.type !== METADATA_EVENT_TYPE) return {};
    let metadata: Record<string, unknown>;
    try {
      metadata = JSON.parse(Buffer.from(last.data).toString('utf8')) as Record<string, unknown>;
    } catch {
      return {};
    }
    const whole = (value: unknown) =>
      typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
    return { maxCount: whole(metadata.$maxCount), truncateBefore: whole(metadata.$tb) };
  }

  append(
    streamId: string,
    expected: ExpectedState,
    proposed: readonly ProposedRecord[],
  ): AppendOutcome {
    const stream = this.streams.get(streamId);
    const current = stream ? BigInt(stream.length - 1) : undefined;
    const replayed = this.idempotentReplay(stream, expected, proposed);
    if (replayed) return replayed;
    if (!satisfies(expected, current)) return { ok: false, currentRevision: current };
    if (proposed.length === 0) return { ok: true, currentRevision: current, position: undefined };
    const appended = this.write(streamId, proposed);
    if (this.systemRecords && !streamId.startsWith('$')) this.project(appended);
    const last = appended[appended.length - 1];
    return { ok: true, currentRevision: last.revision, position: last.position };
  }

  /** The event a `$>` link points at (its data is `<revision>@<stream>`), if it still exists. */
  resolveLink(link: StoredRecord): StoredRecord | undefined {
    if (link.type !== LINK_EVENT_TYPE) return undefined;
    const match = /^(\d+)@(.+)$/.exec(Buffer.from(link.data).toString('utf8'));
    return match ? this.streams.get(match[2])?.[Number(match[1])] : undefined;
  }

  private write(streamId: string, proposed: readonly ProposedRecord[]): StoredRecord[] {
    const stream = this.streams.get(streamId);
    const target = stream ?? [];
    const createdTicks = BigInt(Date.now()) * 10_000n;
    const appended = proposed.map((event, index): StoredRecord => {
      const position = this.nextPosition;
      this.nextPosition +=
        RECORD_OVERHEAD + BigInt(event.data.length + event.customMetadata.length + streamId.length);
      return {
        ...event,
        streamId,
        revision: BigInt(target.length + index),
        position,
        createdTicks,
      };
    });
    target.push(...appended);
    this.streams.set(streamId, target);
    this.records.push(...appended);
    for (const record of appended) for (const listener of this.listeners) listener(record);
    return appended;
  }

  /** What the `$by_category` projection and the node's statistics add to `$all`. */
  private project(appended: readonly StoredRecord[]): void {
    for (const record of appended) {
      const dash = record.streamId.indexOf('-');
      if (dash > 0) {
        const link: ProposedRecord = {
          id: randomUUID(),
          type: LINK_EVENT_TYPE,
          contentType: 'application/octet-stream',
          data: utf8(`${record.revision}@${record.streamId}`),
          customMetadata: utf8(
            JSON.stringify({ $o: record.streamId, $causedBy: record.id, $p: `${record.position}` }),
          ),
        };
        this.write(`$ce-${record.streamId.slice(0, dash)}`, [link]);
      }
      if (++this.userEvents % USER_EVENTS_PER_STATS_RECORD === 0) this.writeStats();
    }
  }

  private writeStats(): void {
    const stats = { 'proc-id': process.pid, 'es-queue-Main Queue-length': 0 };
    this.write(STATS_STREAM, [
      {
        id: randomUUID(),
        type: '$statsCollected',
        contentType: 'application/json',
        data: utf8(JSON.stringify(stats)),
        customMetadata: new Uint8Array(),
      },
    ]);
  }

  /** Registers a live listener; returns the function that removes it. */
  onAppended(listener: (record: StoredRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The server treats a retried write (same event ids, same expected revision) as already
   * done and answers with the original result instead of appending twice or conflicting.
   */
  private idempotentReplay(
    stream: readonly StoredRecord[] | undefined,
    expected: ExpectedState,
    proposed: readonly ProposedRecord[],
  ): AppendOutcome | undefined {
    if (!stream || proposed.length === 0) return undefined;
    const from =
      expected.kind === 'no_stream'
        ? 0
        : expected.kind === 'revision'
          ? Number(expected.revision) + 1
          : -1;
    if (from < 0 || from + proposed.length > stream.length) return undefined;
    const written = stream.slice(from, from + proposed.length);
    if (!written.every((record, index) => record.id === proposed[index].id)) return undefined;
    const last = written[written.length - 1];
    return { ok: true, currentRevision: last.revision, position: last.position };
  }
}

function satisfies(expected: ExpectedState, current: bigint | undefined): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    case 'revision':
      return current === expected.revision;
  }
}

const utf8 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'utf8'));
