import { WrongExpectedRevision } from '../../event-store/event-store.errors';
import type {
  EventStore,
  ReadAllOptions,
  RecordedEvent,
  SerializedEvent,
} from '../../event-store/event-store.port';
import type { CaseEventType } from '../domain/case.events';
import type { CaseHistoryEntry } from '../domain/case.history';
import {
  CASE_STREAM_PREFIX,
  caseStreamId,
  decodeCaseEvent,
  encodeCaseEvent,
  type CaseEventRecord,
} from './case-event.codec';
import { CaseFoldCache } from './case-fold.cache';
import { emptyCaseFold, foldCase, type CaseFold } from './case.fold';

export interface FollowOptions {
  /** Exclusive global position; from the first event when omitted. */
  readonly after?: bigint;
  /** Only these event types; every case event when omitted. */
  readonly types?: ReadonlySet<CaseEventType>;
}

/** Case events as they are committed, catching up first; ends only when unsubscribed. */
export interface CaseEventSubscription extends AsyncIterable<CaseEventRecord> {
  unsubscribe(): Promise<void>;
}

/**
 * The one door for case events: the only code that touches the event store port for them. It
 * owns the stream names and the codec (JSON shape, upcasting), folds a case's events into a
 * {@link CaseFold}, appends with the revision that was read, and follows every case event for
 * the projections, the feed and the audit tool.
 */
export class CaseEventStream {
  private lastAppended: bigint | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly cache: CaseFoldCache = new CaseFoldCache(0),
  ) {}

  /** Position of the last event this instance appended: what its read models must reach. */
  get lastAppendedPosition(): bigint | undefined {
    return this.lastAppended;
  }

  /**
   * The case folded up to its latest revision, or up to `upTo`: revision 0 when it does not
   * exist (or has fewer events than `upTo`, which the fold's revision shows). Only the events
   * after a cached fold are read.
   */
  async load(caseId: string, { upTo }: { upTo?: number } = {}): Promise<CaseFold> {
    const cached = this.cache.get(caseId);
    const start = cached && (upTo === undefined || cached.revision <= upTo) ? cached : undefined;
    const from = start ?? emptyCaseFold(caseId);
    const tail = await this.read(caseId, from.revision, upTo);
    if (!continues(from.revision, tail)) {
      // Not the continuation of what is cached: trust only a full read.
      this.cache.delete(caseId);
      if (start) return this.load(caseId, { upTo });
    }
    const fold = foldCase(from, tail);
    if (upTo === undefined) this.cache.set(fold);
    return fold;
  }

  /**
   * The fold this instance last held for the case, without asking the store: possibly stale.
   * Only for a decision whose append checks it (the expected revision refuses a stale one).
   */
  cached(caseId: string): CaseFold | undefined {
    return this.cache.get(caseId);
  }

  /** The case's events, oldest first, up to `upTo` when given; empty when it does not exist. */
  history(caseId: string, { upTo }: { upTo?: number } = {}): Promise<CaseEventRecord[]> {
    return this.read(caseId, 0, upTo);
  }

  /** The case's events one at a time, for a reader that must not hold a long case at once. */
  async *events(caseId: string): AsyncGenerator<CaseEventRecord> {
    for await (const recorded of this.store.readStream(caseStreamId(caseId))) {
      yield decodeCaseEvent(recorded);
    }
  }

  /**
   * Appends `entries` after `fold` with the fold's revision as the expected one ("no stream"
   * for a create), and returns the fold with them. Throws {@link WrongExpectedRevision} when
   * another writer got there first; the cached fold is dropped then.
   */
  async append(fold: CaseFold, entries: readonly CaseHistoryEntry[]): Promise<CaseFold> {
    try {
      const { position } = await this.store.appendToStream(
        caseStreamId(fold.caseId),
        entries.map(encodeCaseEvent),
        { expectedRevision: fold.revision === 0 ? 'no_stream' : BigInt(fold.revision - 1) },
      );
      const next = foldCase(fold, [...entries.slice(0, -1), { ...entries.at(-1)!, position }]);
      this.cache.set(next);
      if (this.lastAppended === undefined || position > this.lastAppended) {
        this.lastAppended = position;
      }
      return next;
    } catch (error) {
      if (error instanceof WrongExpectedRevision) this.cache.delete(fold.caseId);
      throw error;
    }
  }

  /** Every case event after `after`, catching up and then live. */
  follow({ after, types }: FollowOptions = {}): CaseEventSubscription {
    const subscription = this.store.subscribeToAll({ after, streamPrefix: CASE_STREAM_PREFIX });
    return {
      async *[Symbol.asyncIterator]() {
        for await (const recorded of subscription) {
          if (types && !types.has(recorded.type as CaseEventType)) continue;
          yield decodeCaseEvent(recorded);
        }
      },
      unsubscribe: () => subscription.unsubscribe(),
    };
  }

  /** Every case event after `after` up to the head, in global order. */
  async *readAll({ after }: Pick<ReadAllOptions, 'after'> = {}): AsyncGenerator<CaseEventRecord> {
    for await (const recorded of this.store.readAll({ after, streamPrefix: CASE_STREAM_PREFIX })) {
      yield decodeCaseEvent(recorded);
    }
  }

  /**
   * Every case event after `after`, a page at a time, as stored (JSON text, not upcast): what
   * the audit export and verify walk. Stores that hold JSON text hand it out unparsed.
   */
  async *readAllSerialized({ after }: Pick<ReadAllOptions, 'after'> = {}): AsyncGenerator<
    readonly SerializedEvent[]
  > {
    const options = { after, streamPrefix: CASE_STREAM_PREFIX };
    if (this.store.readAllSerialized) {
      yield* this.store.readAllSerialized(options);
      return;
    }
    let page: SerializedEvent[] = [];
    for await (const recorded of this.store.readAll(options)) {
      page.push(serialized(recorded));
      if (page.length === SERIALIZED_PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  /** One case's events as stored, in one page: what `verify --case` checks. */
  async *serializedEvents(caseId: string): AsyncGenerator<readonly SerializedEvent[]> {
    const page: SerializedEvent[] = [];
    for await (const recorded of this.store.readStream(caseStreamId(caseId))) {
      page.push(serialized(recorded));
    }
    yield page;
  }

  /**
   * The case events after `after`, counted up to `cap` without decoding them, and when the
   * oldest of them was stored: how far a follower (the read models) is behind.
   */
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

  /** The store's newest global position now, when it can tell (for a progress total). */
  headPosition(): Promise<bigint | undefined> {
    return this.store.headPosition();
  }

  private async read(caseId: string, after: number, upTo?: number): Promise<CaseEventRecord[]> {
    if (upTo !== undefined && upTo <= after) return [];
    const records: CaseEventRecord[] = [];
    const options = {
      ...(after > 0 ? { fromRevision: BigInt(after) } : {}),
      ...(upTo !== undefined ? { maxCount: upTo - after } : {}),
    };
    for await (const recorded of this.store.readStream(caseStreamId(caseId), options)) {
      records.push(decodeCaseEvent(recorded));
    }
    return records;
  }
}

const SERIALIZED_PAGE = 500;

/** The JSON text a store without a serialized read would have held. */
const serialized = (recorded: RecordedEvent): SerializedEvent => ({
  ...recorded,
  data: JSON.stringify(recorded.data),
  metadata: JSON.stringify(recorded.metadata),
});

/** True when `records` are revisions `revision + 1`, `revision + 2`, … without a gap. */
function continues(revision: number, records: readonly CaseEventRecord[]): boolean {
  return records.every((record, i) => record.revision === revision + i + 1);
}
