import { StoreUnavailable } from '../event-store/event-store.errors';
import {
  EventStore,
  type AllSubscription,
  type AppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
} from '../event-store/event-store.port';
import { SqliteReader, type StoredEventRow } from '../event-store/sqlite/sqlite.reader';

import { STORED } from './stored-rows';
import { readAllInPages, readStreamInPages } from '../event-store/sqlite/sqlite.paged-reads';

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

  /**
   * `readAll`, a page at a time and as stored (`data` and `metadata` as JSON text): what
   * `export` and `verify` walk on the embedded store. One await per page instead of per event,
   * and no `RecordedEvent` built for events the commands do not need one for.
   */
  async *readAllRows(options: ReadAllOptions = {}): AsyncGenerator<readonly StoredEventRow[]> {
    const head = this.reader.head();
    let after = options.after ?? 0n;
    for (;;) {
      const page = this.reader.allPageRows(after, head, options.streamPrefix, this.pageSize);
      if (page.length > 0) yield page;
      if (page.length < this.pageSize) return;
      after = BigInt(page[page.length - 1]![STORED.position]);
    }
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
