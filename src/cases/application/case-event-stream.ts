import { WrongExpectedRevision } from '../../event-store/event-store.errors';
import type { EventStore, ReadAllOptions } from '../../event-store/event-store.port';
import type { CaseEventType } from '../domain/case.events';
import type { CaseHistoryEntry } from '../domain/case.history';
import {
  CASE_STREAM_PREFIX,
  caseStreamId,
  decodeStoredCaseEvent,
  encodeCaseEvent,
  type CaseEventRecord,
  type DecodedCaseEvent,
} from './case-event.codec';
import { CaseEventBulkReads } from './case-event.bulk-reads';
import { CaseEventPrivacy, type OpenedSerializedEvent } from './case-event.privacy';
import { CaseFoldCache } from './case-fold.cache';
import type { CaseSnapshots } from './case-snapshots';
import { emptyCaseFold, existsIn, foldCase, type CaseFold } from './case.fold';

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
 * owns the stream names and the codec (JSON shape, upcasting, sealing personal data), folds a
 * case's events into a {@link CaseFold} (starting from a snapshot when it has one), appends with
 * the revision that was read, and follows every case event for the projections, the feed and
 * the audit tool.
 */
export class CaseEventStream {
  private lastAppended: bigint | undefined;
  private readonly appendListeners = new Set<(position: bigint) => void>();
  private readonly bulk: CaseEventBulkReads;

  /**
   * Without `snapshots` nothing is snapshotted and every load without a cached fold reads the
   * case from its first event: what the audit tool and `verify` rely on.
   */
  constructor(
    private readonly store: EventStore,
    private readonly cache: CaseFoldCache = new CaseFoldCache(0),
    private readonly snapshots?: CaseSnapshots,
    private readonly privacy: CaseEventPrivacy = new CaseEventPrivacy(),
    /** Where a projection thread reads how far the service's writer has got, between wake-ups. */
    private readonly appendedElsewhere?: () => bigint | undefined,
  ) {
    this.bulk = new CaseEventBulkReads(store, privacy);
  }

  /**
   * Drops every cached fold: they hold personal data in clear, and after an erasure the next
   * load must read the person as erased.
   */
  forgetCachedFolds(): void {
    this.cache.clear();
  }

  /**
   * Position of the last event this instance appended (or its writer reported, seen from a
   * projection thread): what its read models must reach.
   */
  get lastAppendedPosition(): bigint | undefined {
    const elsewhere = this.appendedElsewhere?.();
    return elsewhere !== undefined &&
      (this.lastAppended === undefined || elsewhere > this.lastAppended)
      ? elsewhere
      : this.lastAppended;
  }

  /**
   * Calls `listener` with the position of every append this instance makes, once it is durable
   * (e.g. to wake a projection thread). Returns the way to stop listening.
   */
  onAppend(listener: (position: bigint) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /**
   * Another connection of this service (its writer, seen from a projection thread) committed
   * case events up to `position`: followers look for them now rather than at their next poll,
   * and {@link lastAppendedPosition} counts them as this service's own.
   */
  committedElsewhere(position?: bigint): void {
    if (
      position !== undefined &&
      (this.lastAppended === undefined || position > this.lastAppended)
    ) {
      this.lastAppended = position;
    }
    // Case events only: a follower of other streams (the erasure follower) sleeps through it.
    this.store.notifyCommitted(CASE_STREAM_PREFIX);
  }

  /**
   * The case folded up to its latest revision, or up to `upTo`: revision 0 when it does not
   * exist (or has fewer events than `upTo`, which the fold's revision shows). Only the events
   * after a cached fold are read; without one, only those after the case's snapshot (when it
   * has one not past `upTo`, of this fold version, whose last event the store still holds).
   */
  async load(caseId: string, { upTo }: { upTo?: number } = {}): Promise<CaseFold> {
    const cached = this.cache.get(caseId);
    if (cached && (upTo === undefined || cached.revision <= upTo)) {
      const tail = await this.read(caseId, cached.revision, upTo);
      // Not the continuation of what is cached: trust only a full read.
      if (continues(cached.revision, tail)) {
        return this.loaded(foldCase(cached, tail), upTo, tail.length);
      }
      this.cache.delete(caseId);
    }
    const { snapshots } = this;
    const snapshot = await snapshots?.read(caseId, upTo);
    if (snapshots && snapshot) {
      const fold = await this.fromSnapshot(snapshot, upTo);
      if (fold) return this.loaded(fold, upTo, fold.revision - snapshot.revision);
      // Not of these events: it would keep a later snapshot of the same revision out.
      snapshots.discard(caseId);
    }
    const events = await this.read(caseId, 0, upTo);
    return this.loaded(foldCase(emptyCaseFold(caseId), events), upTo, events.length);
  }

  /**
   * `snapshot` and the events after it, read from the snapshot's own last event on: unless
   * that event is still there, the same one (same global position), and the rest continue it,
   * the snapshot is not of this stream (deleted and written again, or beyond its end), and
   * undefined sends the caller to a full read.
   */
  private async fromSnapshot(snapshot: CaseFold, upTo?: number): Promise<CaseFold | undefined> {
    const [last, ...tail] = await this.read(snapshot.caseId, snapshot.revision - 1, upTo);
    const same = last?.revision === snapshot.revision && last.position === snapshot.position;
    return same && continues(snapshot.revision, tail) ? foldCase(snapshot, tail) : undefined;
  }

  /** Caches a latest fold, and snapshots it when it took reading many events to build. */
  private loaded(fold: CaseFold, upTo: number | undefined, eventsRead: number): CaseFold {
    if (upTo !== undefined) return fold;
    this.cache.set(fold);
    if (this.snapshots && eventsRead > this.snapshots.every) this.snapshots.schedule(fold);
    return fold;
  }

  /**
   * The fold this instance last held for the case, without asking the store: possibly stale.
   * Only for a decision whose append checks it (the expected revision refuses a stale one).
   */
  cached(caseId: string): CaseFold | undefined {
    return this.cache.get(caseId);
  }

  /** Resolves when the snapshots scheduled so far are written (or have failed and been logged). */
  async snapshotsWritten(): Promise<void> {
    await this.snapshots?.settled();
  }

  /** The case's events, oldest first, up to `upTo` when given; empty when it does not exist. */
  history(caseId: string, { upTo }: { upTo?: number } = {}): Promise<CaseEventRecord[]> {
    return this.read(caseId, 0, upTo);
  }

  /**
   * The case's events one at a time, for a reader that must not hold a long case at once (it
   * holds one batch of 500).
   */
  events(caseId: string): AsyncGenerator<CaseEventRecord> {
    return this.bulk.opened(this.store.readStream(caseStreamId(caseId)));
  }

  /**
   * Appends `entries` after `fold` with the fold's revision as the expected one ("no stream"
   * for a create), and returns the fold with them. Throws {@link WrongExpectedRevision} when
   * another writer got there first; the cached fold is dropped then.
   */
  async append(fold: CaseFold, entries: readonly CaseHistoryEntry[]): Promise<CaseFold> {
    try {
      const reporterId = existsIn(fold) ? fold.state.reporter.id : undefined;
      const sealed = await this.privacy.seal(entries.map(encodeCaseEvent), reporterId);
      const { position } = await this.store.appendToStream(caseStreamId(fold.caseId), sealed, {
        expectedRevision: fold.revision === 0 ? 'no_stream' : BigInt(fold.revision - 1),
      });
      const next = foldCase(fold, [...entries.slice(0, -1), { ...entries.at(-1)!, position }]);
      this.cache.set(next);
      if (this.snapshots?.crossed(fold.revision, next.revision)) this.snapshots.schedule(next);
      if (this.lastAppended === undefined || position > this.lastAppended) {
        this.lastAppended = position;
      }
      for (const listener of this.appendListeners) listener(position);
      return next;
    } catch (error) {
      if (error instanceof WrongExpectedRevision) this.cache.delete(fold.caseId);
      throw error;
    }
  }

  /**
   * Every case event after `after`, catching up and then live. Opened one event at a time: the
   * adapters hold only a bounded number of bytes ahead of a slow follower (a feed client), and
   * gathering a batch ahead would break that bound. Keys met lately are in the vault's cache.
   */
  follow({ after, types }: FollowOptions = {}): CaseEventSubscription {
    const subscription = this.store.subscribeToAll({ after, streamPrefix: CASE_STREAM_PREFIX });
    const privacy = this.privacy;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const recorded of subscription) {
          if (types && !types.has(recorded.type as CaseEventType)) continue;
          yield* await privacy.open([decodeStoredCaseEvent(recorded)]);
        }
      },
      unsubscribe: () => subscription.unsubscribe(),
    };
  }

  /** Every case event after `after` up to the head, in global order. */
  readAll({ after }: Pick<ReadAllOptions, 'after'> = {}): AsyncGenerator<CaseEventRecord> {
    return this.bulk.opened(this.store.readAll({ after, streamPrefix: CASE_STREAM_PREFIX }));
  }

  /**
   * Every case event after `after`, a page at a time, as stored (JSON text, not upcast): what
   * the audit export and verify walk. Stores that hold JSON text hand it out unparsed; events
   * holding envelopes (stored at a version that seals) are parsed to open them, and their
   * unreadable fields are listed.
   */
  readAllSerialized({ after }: Pick<ReadAllOptions, 'after'> = {}): AsyncGenerator<
    readonly OpenedSerializedEvent[]
  > {
    return this.bulk.serializedAfter(after);
  }

  /** One case's events as stored, in one page: what `verify --case` checks. */
  serializedEvents(caseId: string): AsyncGenerator<readonly OpenedSerializedEvent[]> {
    return this.bulk.serializedOf(caseId);
  }

  /**
   * The case events after `after`, counted up to `cap` without decoding them, and when the
   * oldest of them was stored: how far a follower (the read models) is behind.
   */
  pendingAfter(
    after: bigint | undefined,
    cap: number,
  ): Promise<{ events: number; oldest: Date | undefined }> {
    return this.bulk.pendingAfter(after, cap);
  }

  /** The store's newest global position now, when it can tell (for a progress total). */
  headPosition(): Promise<bigint | undefined> {
    return this.store.headPosition();
  }

  private async read(caseId: string, after: number, upTo?: number): Promise<CaseEventRecord[]> {
    if (upTo !== undefined && upTo <= after) return [];
    const decoded: DecodedCaseEvent[] = [];
    const options = {
      ...(after > 0 ? { fromRevision: BigInt(after) } : {}),
      ...(upTo !== undefined ? { maxCount: upTo - after } : {}),
    };
    for await (const recorded of this.store.readStream(caseStreamId(caseId), options)) {
      decoded.push(decodeStoredCaseEvent(recorded));
    }
    return this.privacy.open(decoded);
  }
}

/** True when `records` are revisions `revision + 1`, `revision + 2`, … without a gap. */
function continues(revision: number, records: readonly CaseEventRecord[]): boolean {
  return records.every((record, i) => record.revision === revision + i + 1);
}
