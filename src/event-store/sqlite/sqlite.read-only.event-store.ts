import { StoreUnavailable } from '../event-store.errors';
import {
  EventStore,
  type AllSubscription,
  type AppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SerializedEvent,
} from '../event-store.port';
import { readAllInPages, readAllSerializedInPages, readStreamInPages } from './sqlite.paged-reads';
import { SqliteReader } from './sqlite.reader';

/**
 * The embedded store opened for reading only: the audit tool never appends, so it needs none of
 * the writer thread the service's adapter starts (a second V8 isolate, tens of MB, and a write
 * lock on a file the running service owns). Reads use the adapter's own reader, so they see
 * exactly the committed events the service sees; paging mirrors `SqliteEventStore`.
 */
export class SqliteReadOnlyEventStore extends EventStore {
  private readonly reader: SqliteReader;

  constructor(
    file: string,
    private readonly pageSize: number,
  ) {
    super();
    this.reader = new SqliteReader(file);
  }

  override appendToStream(): Promise<AppendResult> {
    return Promise.reject(new StoreUnavailable('The audit tool opens the event store read-only.'));
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

  override subscribeToAll(): AllSubscription {
    throw new Error('The audit tool reads history; it does not subscribe.');
  }

  override async checkHealth(): Promise<void> {
    try {
      this.reader.ping();
    } catch (error) {
      throw new StoreUnavailable(`The event store cannot be read: ${(error as Error).message}`);
    }
  }

  override async close(): Promise<void> {
    this.reader.close();
  }
}
