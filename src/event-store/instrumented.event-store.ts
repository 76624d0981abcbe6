import type { PinoLogger } from 'nestjs-pino';
import type { MetricsRegistry } from '../metrics/metrics.registry';
import { StoreUnavailable, WrongExpectedRevision } from './event-store.errors';
import {
  EventStore,
  type AllSubscription,
  type AppendResult,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SerializedEvent,
  type SubscribeToAllOptions,
} from './event-store.port';
import type { SnapshotStore } from './snapshot-store.port';

type Kind = 'unavailable' | 'conflict' | 'other';

const kindOf = (error: unknown): Kind =>
  error instanceof StoreUnavailable
    ? 'unavailable'
    : error instanceof WrongExpectedRevision
      ? 'conflict'
      : 'other';

/**
 * The port as the service sees it: the configured adapter plus what operators need from every
 * call, whichever adapter it is. Times appends, counts failed calls by kind, and logs each
 * failure once, with its cause, where it happened: the request that met it answers 503 without
 * logging a stack. A conflict is the optimistic-concurrency signal the command pipeline acts on,
 * so it is counted but not logged.
 */
export class InstrumentedEventStore extends EventStore {
  /** Offered exactly when the adapter offers it: callers test for it to pick their fast path. */
  override readonly readAllSerialized?: (
    options?: ReadAllOptions,
  ) => AsyncIterable<readonly SerializedEvent[]>;

  constructor(
    private readonly inner: EventStore,
    private readonly storeKind: string,
    private readonly metrics: MetricsRegistry,
    private readonly logger: PinoLogger,
  ) {
    super();
    if (inner.readAllSerialized) {
      this.readAllSerialized = (options) =>
        this.watched('readAllSerialized', inner.readAllSerialized!(options));
    }
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const stop = this.metrics.appendDuration.startTimer({ store: this.storeKind });
    try {
      return await this.inner.appendToStream(streamId, events, options);
    } catch (error) {
      this.failed('appendToStream', error);
      throw error;
    } finally {
      stop();
    }
  }

  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return this.watched('readStream', this.inner.readStream(streamId, options));
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.watched('readAll', this.inner.readAll(options));
  }

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    return this.inner.subscribeToAll(options);
  }

  async checkHealth(): Promise<void> {
    try {
      await this.inner.checkHealth();
    } catch (error) {
      // Probes ask every few seconds: the outage is counted, and logged by the calls it fails.
      this.metrics.storeErrors.inc({ operation: 'checkHealth', kind: kindOf(error) });
      throw error;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  override notifyCommitted(streamPrefix?: string): void {
    this.inner.notifyCommitted(streamPrefix);
  }

  override headPosition(): Promise<bigint | undefined> {
    return this.inner.headPosition();
  }

  /** Snapshot failures are the case event stream's to log: they never fail a request. */
  override snapshots(): SnapshotStore | undefined {
    return this.inner.snapshots();
  }

  private async *watched<T>(operation: string, events: AsyncIterable<T>): AsyncIterable<T> {
    try {
      yield* events;
    } catch (error) {
      this.failed(operation, error);
      throw error;
    }
  }

  private failed(operation: string, error: unknown): void {
    const kind = kindOf(error);
    this.metrics.storeErrors.inc({ operation, kind });
    if (kind === 'conflict') return;
    const cause = error instanceof Error ? error.message : String(error);
    this.logger.warn({ operation, kind, cause }, `Event store ${operation} failed: ${cause}`);
  }
}
