import type {
  EventStore,
  RecordedEvent,
  SerializedEvent,
} from '../../event-store/event-store.port';
import {
  CASE_STREAM_PREFIX,
  caseStreamId,
  decodeStoredCaseEvent,
  type CaseEventRecord,
  type DecodedCaseEvent,
} from './case-event.codec';
import type { CaseEventPrivacy, OpenedSerializedEvent } from './case-event.privacy';

/** Events opened together by the bulk reads, and stored events per page: a page, as stores read. */
const PAGE = 500;

/**
 * The case event stream's reads of many events at once: a rebuild's replay, the audit tool's
 * walk over stored text, a follower's backlog. Part of the one door ({@link CaseEventStream}
 * is its only user), kept apart because none of it touches folds, the cache or appends.
 */
export class CaseEventBulkReads {
  constructor(
    private readonly store: EventStore,
    private readonly privacy: CaseEventPrivacy,
  ) {}

  /**
   * `recorded` decoded and opened {@link PAGE} events at a time, so a batch costs one key
   * lookup (a rebuild meets many people's keys, most of them not cached). What came before an
   * event that cannot be read, or before the store failed, is handed out before the error, as
   * it was when each event was opened alone.
   */
  async *opened(recorded: AsyncIterable<RecordedEvent>): AsyncGenerator<CaseEventRecord> {
    let batch: DecodedCaseEvent[] = [];
    try {
      for await (const event of recorded) {
        batch.push(decodeStoredCaseEvent(event));
        if (batch.length === PAGE) {
          const full = batch;
          batch = [];
          yield* await this.privacy.open(full);
        }
      }
    } catch (error) {
      yield* await this.openedBefore(batch, error);
      throw error;
    }
    yield* await this.privacy.open(batch);
  }

  /** Every case event after `after`, a page at a time, as stored and opened. */
  async *serializedAfter(
    after: bigint | undefined,
  ): AsyncGenerator<readonly OpenedSerializedEvent[]> {
    for await (const page of this.storedPages(after)) yield await this.privacy.openSerialized(page);
  }

  /** One case's events as stored, in one page. */
  async *serializedOf(caseId: string): AsyncGenerator<readonly OpenedSerializedEvent[]> {
    const page: SerializedEvent[] = [];
    for await (const recorded of this.store.readStream(caseStreamId(caseId))) {
      page.push(serialized(recorded));
    }
    yield await this.privacy.openSerialized(page);
  }

  /** The case events after `after`, counted up to `cap` without decoding them. */
  async pendingAfter(
    after: bigint | undefined,
    cap: number,
  ): Promise<{ events: number; oldest: Date | undefined }> {
    let events = 0;
    let oldest: Date | undefined;
    const options = { after, streamPrefix: CASE_STREAM_PREFIX, maxCount: cap };
    for await (const recorded of this.store.readAll(options)) {
      oldest ??= recorded.created;
      events += 1;
    }
    return { events, oldest };
  }

  /**
   * The events read before `failure`, opened; when opening them fails as well (the key store is
   * down with the event store), `failure` is what the caller hears about, not the second error.
   */
  private async openedBefore(
    batch: readonly DecodedCaseEvent[],
    failure: unknown,
  ): Promise<readonly CaseEventRecord[]> {
    try {
      return await this.privacy.open(batch);
    } catch {
      throw failure;
    }
  }

  /** Stores that hold JSON text hand it out unparsed; the others' events are stringified. */
  private async *storedPages(
    after: bigint | undefined,
  ): AsyncGenerator<readonly SerializedEvent[]> {
    const options = { after, streamPrefix: CASE_STREAM_PREFIX };
    if (this.store.readAllSerialized) {
      yield* this.store.readAllSerialized(options);
      return;
    }
    let page: SerializedEvent[] = [];
    for await (const recorded of this.store.readAll(options)) {
      page.push(serialized(recorded));
      if (page.length === PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }
}

/** The JSON text a store without a serialized read would have held. */
const serialized = (recorded: RecordedEvent): SerializedEvent => ({
  ...recorded,
  data: JSON.stringify(recorded.data),
  metadata: JSON.stringify(recorded.metadata),
});
