import { WrongExpectedRevision } from '../event-store.errors';
import { expectationHeldBefore, satisfiesExpectedRevision } from '../expected-revision';
import type {
  AppendResult,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
} from '../event-store.port';

/**
 * The events of an {@link InMemoryEventStore}, in commit order. An event's global position is
 * its 1-based place in the log, so "after position p" starts at index p. Appends run
 * synchronously, which makes each one atomic and keeps positions in commit order.
 */
export class InMemoryLog {
  private readonly events: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly waiters = new Set<() => void>();

  get head(): bigint {
    return BigInt(this.events.length);
  }

  stream(streamId: string): readonly RecordedEvent[] {
    return this.streams.get(streamId) ?? [];
  }

  /** Events after `position` (exclusive), including any appended while iterating. */
  *after(position: bigint, streamPrefix?: string, upTo?: bigint): Generator<RecordedEvent> {
    const end = () => (upTo === undefined ? this.events.length : Number(upTo));
    for (let i = Math.max(0, Number(position)); i < end(); i++) {
      const event = this.events[i]!;
      if (streamPrefix === undefined || event.streamId.startsWith(streamPrefix)) yield event;
    }
  }

  append(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): AppendResult {
    const retried = this.alreadyAppended(streamId, events, expected);
    if (retried) return retried;
    const stream = this.streams.get(streamId) ?? [];
    const actual = stream.length === 0 ? undefined : BigInt(stream.length - 1);
    if (!satisfiesExpectedRevision(expected, actual))
      throw new WrongExpectedRevision(streamId, expected, actual);
    const ids = events.map((event) => event.id);
    const reused = ids.find((id, i) => this.byId.has(id) || ids.indexOf(id) !== i);
    if (reused !== undefined) {
      throw new Error(`The event store refused the append: event id ${reused} is already used.`);
    }
    // Stored the way the real stores store them, as JSON: what reads back is what they would
    // give, and the caller keeps no reference into the store.
    const recorded = events.map((event, i) => ({
      id: event.id,
      type: event.type,
      data: asStoredJson(event.data),
      metadata: asStoredJson(event.metadata),
      streamId,
      revision: BigInt(stream.length + i),
      position: BigInt(this.events.length + i + 1),
      created: new Date(),
    }));
    for (const event of recorded) {
      stream.push(event);
      this.events.push(event);
      this.byId.set(event.id, event);
    }
    this.streams.set(streamId, stream);
    this.wakeWaiters();
    const last = recorded[recorded.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  /** Resolves on the next append, or when `abort` fires. */
  nextAppend(abort: AbortSignal): Promise<void> {
    if (abort.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.waiters.delete(wake);
        abort.removeEventListener('abort', wake);
        resolve();
      };
      this.waiters.add(wake);
      abort.addEventListener('abort', wake, { once: true });
    });
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * A retry of an append that already committed (same event ids, in order, in the same stream,
   * with an expectation the original satisfied) answers with the original result, as the
   * SQLite store and EventStoreDB do.
   */
  private alreadyAppended(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): AppendResult | undefined {
    const stored = events.map((event) => this.byId.get(event.id));
    const first = stored[0];
    if (!first || first.streamId !== streamId) return undefined;
    const inOrder = stored.every(
      (event, i) => event?.streamId === streamId && event.revision === first.revision + BigInt(i),
    );
    if (!inOrder || !expectationHeldBefore(expected, first.revision)) return undefined;
    const last = stored[stored.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }
}

function asStoredJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}

/**
 * A copy the caller may change freely without touching what is stored, parsed from JSON as the
 * real stores' reads are (a structured clone would also carry values JSON cannot hold).
 */
export function copyOf(event: RecordedEvent): RecordedEvent {
  return {
    ...event,
    data: asStoredJson(event.data),
    metadata: asStoredJson(event.metadata),
    created: new Date(event.created),
  };
}
