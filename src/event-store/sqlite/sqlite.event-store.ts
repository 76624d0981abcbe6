import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { appendSize, DEFAULT_MAX_APPEND_SIZE, serializedAppendSize } from '../append-size';
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
  type SerializedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port';
import type { SnapshotStore } from '../snapshot-store.port';
import { CommitSignal } from './commit-signal';
import { SqliteAllSubscription, SUBSCRIPTION_DEFAULTS } from './sqlite.all-subscription';
import { SqliteReader } from './sqlite.reader';
import { EVENTS_FILE_NAME } from './sqlite.schema';
import { SNAPSHOTS_FILE_NAME, SqliteSnapshotStore } from './sqlite.snapshot-store';
import { SqliteWriter } from './sqlite.writer';
import type { EventToWrite } from './sqlite.writer.protocol';
import { readAllInPages, readAllSerializedInPages, readStreamInPages } from './sqlite.paged-reads';

export interface SqliteEventStoreOptions {
  /** Directory of the store's files; created if missing. */
  readonly dataDir: string;
  /** Events per read query: the most a read or subscription holds in memory at once. */
  readonly pageSize?: number;
  /**
   * Stored text (data and metadata) one subscription page may hold: with 200 KB events a page
   * is a few events, not `pageSize` of them. Every open feed connection holds up to one page.
   */
  readonly subscriptionPageBytes?: number;
  /** How often an idle subscription looks for events another process wrote to the file. */
  readonly pollIntervalMs?: number;
  /** How long {@link EventStore.checkHealth} waits for the writer thread to answer. */
  readonly healthTimeoutMs?: number;
  /** Largest append in bytes, measured as EventStoreDB does (see append-size.ts). */
  readonly maxAppendSize?: number;
}

const DEFAULTS = {
  pageSize: 500,
  subscriptionPageBytes: SUBSCRIPTION_DEFAULTS.pageBytes,
  pollIntervalMs: SUBSCRIPTION_DEFAULTS.pollIntervalMs,
  healthTimeoutMs: 5000,
  maxAppendSize: DEFAULT_MAX_APPEND_SIZE,
};

/**
 * Opens (creating if needed) the store in `<dataDir>/events.db`, with its snapshots in
 * `<dataDir>/snapshots.db`.
 */
export async function openSqliteEventStore(
  options: SqliteEventStoreOptions,
): Promise<SqliteEventStore> {
  await mkdir(options.dataDir, { recursive: true });
  const file = join(options.dataDir, EVENTS_FILE_NAME);
  const signal = new CommitSignal();
  const writer = await SqliteWriter.start(file, (streamIds) => signal.notify(streamIds));
  try {
    const reader = new SqliteReader(file);
    const snapshots = new SqliteSnapshotStore(join(options.dataDir, SNAPSHOTS_FILE_NAME));
    return new SqliteEventStore(writer, reader, signal, snapshots, {
      pageSize: options.pageSize ?? DEFAULTS.pageSize,
      subscriptionPageBytes: options.subscriptionPageBytes ?? DEFAULTS.subscriptionPageBytes,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
      healthTimeoutMs: options.healthTimeoutMs ?? DEFAULTS.healthTimeoutMs,
      maxAppendSize: options.maxAppendSize ?? DEFAULTS.maxAppendSize,
    });
  } catch (error) {
    await writer.close();
    throw error;
  }
}

/**
 * The embedded store: appends go to the writer thread (durable, group-committed), reads and
 * subscriptions run on a read connection in the calling thread. Build it with
 * {@link openSqliteEventStore}.
 */
export class SqliteEventStore extends EventStore {
  private readonly subscriptions = new Set<SqliteAllSubscription>();
  private closing: Promise<void> | undefined;

  /** @internal */
  constructor(
    private readonly writer: SqliteWriter,
    private readonly reader: SqliteReader,
    private readonly signal: CommitSignal,
    private readonly snapshotStore: SqliteSnapshotStore,
    private readonly settings: Required<Omit<SqliteEventStoreOptions, 'dataDir'>>,
  ) {
    super();
  }

  override async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (this.closing) throw new StoreUnavailable('The event store is closed.');
    if (streamId.length === 0) throw new RangeError('A stream id must not be empty.');
    if (events.length === 0) throw new RangeError(`Nothing to append to ${streamId}.`);
    let written: EventToWrite[];
    try {
      written = events.map(serialize);
    } catch (error) {
      // A value JSON cannot hold (a bigint): too large still wins, as it did when measured first.
      this.assertSize(streamId, appendSize(events));
      throw error;
    }
    this.assertSize(streamId, serializedAppendSize(events, written));
    return this.writer.append(streamId, options.expectedRevision, written);
  }

  private assertSize(streamId: string, size: number): void {
    if (size > this.settings.maxAppendSize) {
      throw new AppendTooLarge(streamId, this.settings.maxAppendSize, size);
    }
  }

  override readStream(
    streamId: string,
    options?: ReadStreamOptions,
  ): AsyncGenerator<RecordedEvent> {
    return readStreamInPages(this.reader, this.settings.pageSize, streamId, options);
  }

  /** Reads up to the head as it was when the read started, so a long export has an end. */
  override readAll(options?: ReadAllOptions): AsyncGenerator<RecordedEvent> {
    return readAllInPages(this.reader, this.settings.pageSize, options);
  }

  override readAllSerialized(options?: ReadAllOptions): AsyncGenerator<readonly SerializedEvent[]> {
    return readAllSerializedInPages(this.reader, this.settings.pageSize, options);
  }

  override subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const subscription = new SqliteAllSubscription(this.reader, this.signal, options, {
      pageSize: this.settings.pageSize,
      pageBytes: this.settings.subscriptionPageBytes,
      pollIntervalMs: this.settings.pollIntervalMs,
      onEnd: (ended) => this.subscriptions.delete(ended),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  override snapshots(): SnapshotStore {
    return this.snapshotStore;
  }

  override async checkHealth(): Promise<void> {
    if (this.closing) throw new StoreUnavailable('The event store is closed.');
    try {
      this.reader.ping();
    } catch (error) {
      throw new StoreUnavailable(`The event store cannot be read: ${(error as Error).message}`);
    }
    await this.writer.ping(this.settings.healthTimeoutMs);
  }

  /**
   * Refuses new appends, ends every subscription, and lets accepted appends commit before the
   * writer stops. The reader closes first so the writer is this process's last connection and
   * its close (on its own thread) is the one that checkpoints the WAL into the database file.
   */
  override close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
      this.snapshotStore.close();
      this.reader.close();
      await this.writer.close();
    })();
    return this.closing;
  }
}

function serialize(event: EventToAppend): EventToWrite {
  return {
    id: event.id,
    type: event.type,
    data: JSON.stringify(event.data ?? null),
    metadata: JSON.stringify(event.metadata ?? null),
  };
}
