import { appendSize, DEFAULT_MAX_APPEND_SIZE } from '../append-size';
import { AppendTooLarge, StoreUnavailable } from '../event-store.errors';
import {
  type AllSubscription,
  type AppendResult,
  EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port';
import type { SnapshotStore } from '../snapshot-store.port';
import { InMemoryAllSubscription } from './in-memory.all-subscription';
import { copyOf, InMemoryLog } from './in-memory.log';
import { InMemorySnapshotStore } from './in-memory.snapshot-store';

/**
 * An event store that keeps its events in the process, for tests that want the service's real
 * behaviour without a disk or a server: it passes the same contract suite as the SQLite and
 * EventStoreDB adapters. Nothing survives `close()`, so it is never a production choice.
 * Every read hands out copies, so a caller that mutates what it read cannot change history.
 */
export class InMemoryEventStore extends EventStore {
  private readonly log = new InMemoryLog();
  private readonly subscriptions = new Set<InMemoryAllSubscription>();
  private closing: Promise<void> | undefined;
  private readonly snapshotStore = new InMemorySnapshotStore(() => this.assertOpen());

  /** `maxAppendSize` as the other stores measure it, so a case that fits one fits them all. */
  constructor(private readonly maxAppendSize = DEFAULT_MAX_APPEND_SIZE) {
    super();
  }

  override async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    this.assertOpen();
    if (streamId.length === 0) throw new RangeError('A stream id must not be empty.');
    if (events.length === 0) throw new RangeError(`Nothing to append to ${streamId}.`);
    const size = appendSize(events);
    if (size > this.maxAppendSize) throw new AppendTooLarge(streamId, this.maxAppendSize, size);
    return this.log.append(streamId, events, options.expectedRevision);
  }

  override async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const stream = this.log.stream(streamId);
    const backwards = options.direction === 'backwards';
    const last = BigInt(stream.length - 1);
    const from = options.fromRevision ?? (backwards ? last : 0n);
    const selected = backwards
      ? stream.slice(0, Number(from < last ? from : last) + 1).reverse()
      : stream.slice(Number(from));
    yield* copies(selected.slice(0, options.maxCount ?? selected.length));
  }

  /** Reads up to the head as it was when the read started, as the SQLite store does. */
  override async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const events = [...this.log.after(options.after ?? 0n, options.streamPrefix, this.log.head)];
    yield* copies(events.slice(0, options.maxCount ?? events.length));
  }

  override subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const subscription = new InMemoryAllSubscription(this.log, options, (ended) =>
      this.subscriptions.delete(ended),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  override snapshots(): SnapshotStore {
    return this.snapshotStore;
  }

  override async checkHealth(): Promise<void> {
    this.assertOpen();
  }

  /** Ends every subscription and refuses further use; the events are gone with the store. */
  override close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new StoreUnavailable('The event store is closed.');
  }
}

function* copies(events: readonly RecordedEvent[]): Generator<RecordedEvent> {
  for (const event of events) yield copyOf(event);
}
