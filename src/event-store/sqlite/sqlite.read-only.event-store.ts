import { StoreUnavailable } from '../event-store.errors';
import {
  EventStore,
  type AllSubscription,
  type AppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SerializedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port';
import { CommitSignal } from './commit-signal';
import { SqliteAllSubscription, SUBSCRIPTION_DEFAULTS } from './sqlite.all-subscription';
import { readAllInPages, readAllSerializedInPages, readStreamInPages } from './sqlite.paged-reads';
import { SqliteReader } from './sqlite.reader';

/**
 * The embedded store opened for reading only: the audit tool and the projection thread never
 * append, so they need none of the writer thread the service's adapter starts (a second V8
 * isolate, tens of MB, and a write lock on a file the running service owns). Reads use the
 * adapter's own reader, so they see exactly the committed events the service sees; paging
 * mirrors `SqliteEventStore`. Its subscriptions hear of commits through
 * {@link notifyCommitted} (the service relays its writer's commits) or at their poll.
 */
export class SqliteReadOnlyEventStore extends EventStore {
  private readonly reader: SqliteReader;
  private readonly signal = new CommitSignal();
  private readonly subscriptions = new Set<SqliteAllSubscription>();
  private closing: Promise<void> | undefined;

  constructor(
    file: string,
    private readonly pageSize: number,
    private readonly subscriptionSettings = SUBSCRIPTION_DEFAULTS,
  ) {
    super();
    this.reader = new SqliteReader(file);
  }

  override appendToStream(): Promise<AppendResult> {
    return Promise.reject(new StoreUnavailable('This connection to the event store is read-only.'));
  }

  override readStream(
    streamId: string,
    options?: ReadStreamOptions,
  ): AsyncGenerator<RecordedEvent> {
    return readStreamInPages(this.reader, this.pageSize, streamId, options);
  }

  override async headPosition(): Promise<bigint | undefined> {
    const head = this.reader.head();
    return head > 0n ? head : undefined;
  }

  /** Up to the head as it was when the read started, so an export of a live store ends. */
  override readAll(options?: ReadAllOptions): AsyncGenerator<RecordedEvent> {
    return readAllInPages(this.reader, this.pageSize, options);
  }

  override readAllSerialized(options?: ReadAllOptions): AsyncGenerator<readonly SerializedEvent[]> {
    return readAllSerializedInPages(this.reader, this.pageSize, options);
  }

  override subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    if (this.closing) throw new StoreUnavailable('The event store is closed.');
    const subscription = new SqliteAllSubscription(this.reader, this.signal, options, {
      pageSize: this.pageSize,
      pageBytes: this.subscriptionSettings.pageBytes,
      pollIntervalMs: this.subscriptionSettings.pollIntervalMs,
      onEnd: (ended) => this.subscriptions.delete(ended),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  override notifyCommitted(streamPrefix?: string): void {
    if (streamPrefix === undefined) this.signal.notify();
    else this.signal.notifyPrefix(streamPrefix);
  }

  override async checkHealth(): Promise<void> {
    try {
      this.reader.ping();
    } catch (error) {
      throw new StoreUnavailable(`The event store cannot be read: ${(error as Error).message}`);
    }
  }

  override close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
      this.reader.close();
    })();
    return this.closing;
  }
}
