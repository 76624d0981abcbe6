/**
 * The event store port. The domain and the application only ever see this; each adapter
 * (embedded SQLite, EventStoreDB) maps it onto its own client. Revisions are 0-based stream
 * positions and global positions are opaque increasing numbers, both as bigint so nothing is
 * lost on EventStoreDB.
 */
import type { SnapshotStore } from './snapshot-store.port';

/**
 * The largest global position the port accepts or gives: a signed 64-bit integer, the range
 * of SQLite's INTEGER. EventStoreDB's positions are unsigned 64-bit byte offsets into its log,
 * which no real log comes near 2^63 of, so one bound serves every adapter.
 */
export const MAX_POSITION = 2n ** 63n - 1n;

export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export interface EventToAppend {
  /** UUID, chosen by the writer so a retried append is recognisable. */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly streamId: string;
  /** 0-based revision of the event in its stream. */
  readonly revision: bigint;
  /** Global position; strictly increasing in commit order across all streams. */
  readonly position: bigint;
  /** When the store recorded the event. */
  readonly created: Date;
}

/**
 * A stored event with `data` and `metadata` as the JSON text the store holds: what bulk readers
 * (the audit export and verify) walk when an adapter can hand it out without parsing.
 */
export interface SerializedEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly created: Date;
  readonly data: string;
  readonly metadata: string;
}

export interface AppendResult {
  /** Revision of the last event appended (the stream's new current revision). */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event appended. */
  readonly position: bigint;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: only events after this position. Omitted: from the first event. */
  readonly after?: bigint;
  readonly maxCount?: number;
  /** Only events whose stream id starts with this prefix, e.g. `case-`. */
  readonly streamPrefix?: string;
}

export type SubscribeToAllOptions = Omit<ReadAllOptions, 'maxCount'>;

/**
 * Catches up from `after`, then goes live. Ends only when unsubscribed. Reads only as fast as
 * the consumer pulls: an adapter holds a bounded number of bytes ahead of the consumer (the
 * embedded store one page of at most `subscriptionPageBytes` of stored text), never a page of
 * events however large they are, so a consumer that stops pulling costs little memory.
 */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  unsubscribe(): Promise<void>;
}

export abstract class EventStore {
  /** Appends atomically. Throws {@link WrongExpectedRevision} on a conflict. */
  abstract appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;

  /** A stream that does not exist reads as empty. */
  abstract readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;

  abstract readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;

  /**
   * Optional capability: `readAll` a page at a time, up to the head as it was when the read
   * started, with the stored JSON text unparsed. Adapters that hold JSON text offer it; callers
   * go through the case event stream, which falls back to `readAll` without it.
   */
  readAllSerialized?(options?: ReadAllOptions): AsyncIterable<readonly SerializedEvent[]>;

  abstract subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;

  /** Resolves when the store can serve requests; rejects with {@link StoreUnavailable}. */
  abstract checkHealth(): Promise<void>;

  abstract close(): Promise<void>;

  /**
   * The global position of the newest event, for progress totals; undefined when the store is
   * empty or the adapter cannot tell cheaply (the default). Never used for correctness.
   */
  headPosition(): Promise<bigint | undefined> {
    return Promise.resolve(undefined);
  }

  /**
   * Optional capability: where this store keeps snapshots of folds over its streams, with the
   * same lifetime as the store (closed by its `close()`); undefined when it keeps none (the
   * default, and read-only opens).
   */
  snapshots(): SnapshotStore | undefined {
    return undefined;
  }

  /**
   * A hint that events were committed through another connection of this service (its writer,
   * seen from a projection thread): subscriptions look for them now rather than at their next
   * poll; with `streamPrefix`, only subscriptions that may want streams starting with it (the
   * others sleep on). Stores that push new events to subscribers (EventStoreDB) need no hint:
   * the default ignores it.
   */
  notifyCommitted(_streamPrefix?: string): void {}
}
