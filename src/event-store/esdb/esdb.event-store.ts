/**
 * The EventStoreDB adapter of the event store port, on `@eventstore/db-client`. Streams are
 * the caller's stream ids; the port's single global position is the `$all` commit position
 * (gRPC appends write each event as its own implicit transaction, so commit and prepare are
 * equal, and a position resumes as `{ commit: p, prepare: p }`).
 */
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  type AppendExpectedRevision,
} from '@eventstore/db-client';
import { StoreAccessDenied, StoreUnavailable } from '../event-store.errors';
import {
  EventStore,
  type AllSubscription,
  type AppendResult,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port';
import { EsdbAllSubscription, USER_STREAMS, type ResubscribePolicy } from './esdb.all-subscription';
import { READ_ALL, toStoreError, type StoreCall } from './esdb.errors';
import { settleWithin, withIdleDeadline } from './esdb.read-deadline';
import { readRetryingOnce, retryOnceIfTransient } from './esdb.retry';
import { toAppendResult, toEventData, toRecordedEvent } from './esdb.recorded-events';
import { EsdbSnapshotStore } from './esdb.snapshot-store';
import type { SnapshotStore } from '../snapshot-store.port';

export interface EsdbTimeouts {
  /** Longest wait for an append's answer, on either append path (and its gRPC deadline). */
  readonly appendMs: number;
  /** Longest wait for the next message of a read before it counts as unavailable. */
  readonly readIdleMs: number;
  readonly healthMs: number;
  readonly resubscribe: ResubscribePolicy;
}

export const DEFAULT_ESDB_TIMEOUTS: EsdbTimeouts = {
  appendMs: 10_000,
  readIdleMs: 10_000,
  healthMs: 3_000,
  resubscribe: { firstDelayMs: 100, maxDelayMs: 5_000 },
};

/** `$all` is read in pages so filtering on this side keeps memory bounded. */
const ALL_PAGE_SIZE = 512;
const userStreams = new RegExp(USER_STREAMS);

export function createEsdbEventStore(
  connectionString: string,
  timeouts: Partial<EsdbTimeouts> = {},
): EventStore {
  return new EsdbEventStore(
    EventStoreDBClient.connectionString(connectionString),
    { ...DEFAULT_ESDB_TIMEOUTS, ...timeouts },
    userOf(connectionString),
  );
}

/** The user name of `esdb://user:password@host`, for error messages; never the password. */
function userOf(connectionString: string): string | undefined {
  const match = /^esdb(?:\+discover)?:\/\/([^:@/?]+)(?::[^@/?]*)?@/.exec(connectionString);
  return match ? decodeURIComponent(match[1]) : undefined;
}

export class EsdbEventStore extends EventStore {
  private readonly snapshotStore: EsdbSnapshotStore;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly timeouts: EsdbTimeouts = DEFAULT_ESDB_TIMEOUTS,
    /** The connection string's user, named in access-denied errors. */
    private readonly user?: string,
  ) {
    super();
    this.snapshotStore = new EsdbSnapshotStore(client, timeouts, user);
  }

  /** Snapshot streams on the same node and connection (`esdb.snapshot-store.ts`). */
  override snapshots(): SnapshotStore {
    return this.snapshotStore;
  }

  private fail(error: unknown, call: StoreCall): unknown {
    return toStoreError(error, call, this.user);
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    { expectedRevision }: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) {
      // EventStoreDB records nothing and reports no position for an empty write.
      throw new RangeError(`An append to ${streamId} needs at least one event`);
    }
    const call: StoreCall = {
      needs: `write access to stream ${streamId}`,
      append: { streamId, expected: expectedRevision },
    };
    try {
      const result = await settleWithin(
        (abandoned) =>
          retryOnceIfTransient(
            () =>
              this.client.appendToStream(streamId, events.map(toEventData), {
                expectedRevision: toClientRevision(expectedRevision),
                deadline: this.timeouts.appendMs,
              }),
            abandoned,
          ),
        this.timeouts.appendMs,
        `an append to ${streamId}`,
      );
      if (!result.position)
        throw new Error(`EventStoreDB appended to ${streamId} without a position`);
      return toAppendResult(result.nextExpectedRevision, result.position.commit);
    } catch (error) {
      throw this.fail(error, call);
    }
  }

  async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    if (options.maxCount !== undefined && options.maxCount <= 0) return;
    const backwards = options.direction === 'backwards';
    const open = () =>
      withIdleDeadline(
        this.client.readStream(streamId, {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision: options.fromRevision ?? (backwards ? END : START),
          maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
        }),
        this.timeouts.readIdleMs,
      );
    try {
      for await (const resolved of readRetryingOnce(open)) {
        yield toRecordedEvent(resolved);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw this.fail(error, { needs: `read access to stream ${streamId}` });
    }
  }

  /**
   * The client's `readAll` takes no filter, so the stream prefix is applied here, page by
   * page. Without a prefix, EventStoreDB's own `$` streams are left out, as in subscriptions.
   */
  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const wanted = (streamId: string) =>
      options.streamPrefix ? streamId.startsWith(options.streamPrefix) : userStreams.test(streamId);
    let after = options.after;
    while (remaining > 0) {
      const from = after;
      const page = () =>
        withIdleDeadline(
          this.client.readAll({
            direction: FORWARDS,
            fromPosition: from === undefined ? START : { commit: from, prepare: from },
            maxCount: ALL_PAGE_SIZE,
          }),
          this.timeouts.readIdleMs,
        );
      let received = 0;
      try {
        for await (const resolved of readRetryingOnce(page)) {
          received++;
          const event = toRecordedEvent(resolved);
          // A read from a position includes the event at that position; `after` excludes it.
          if (after !== undefined && event.position <= after) continue;
          after = event.position;
          if (!wanted(event.streamId)) continue;
          yield event;
          if (--remaining <= 0) return;
        }
      } catch (error) {
        throw this.fail(error, READ_ALL);
      }
      if (received < ALL_PAGE_SIZE) return;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    return new EsdbAllSubscription(this.client, options, {
      ...this.timeouts.resubscribe,
      confirmMs: this.timeouts.readIdleMs,
      fail: (error) => this.fail(error, READ_ALL),
    });
  }

  async checkHealth(): Promise<void> {
    try {
      const probe = () =>
        withIdleDeadline(
          this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }),
          this.timeouts.healthMs,
        );
      for await (const _ of readRetryingOnce(probe)) void _;
    } catch (error) {
      const mapped = this.fail(error, READ_ALL);
      throw mapped instanceof StoreUnavailable || mapped instanceof StoreAccessDenied
        ? mapped
        : new StoreUnavailable(`EventStoreDB health check failed: ${String(error)}`);
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected;
  }
}
