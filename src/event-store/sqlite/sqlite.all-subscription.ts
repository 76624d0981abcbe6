import type { AllSubscription, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import type { CommitSignal } from './commit-signal';
import { toRecordedEvent, type SqliteReader } from './sqlite.reader';

export interface SubscriptionSettings {
  readonly pageSize: number;
  /** Text of event data and metadata one page may hold (the page ends after the row that reaches it). */
  readonly pageBytes: number;
  readonly pollIntervalMs: number;
  /** Called when the subscription ends, however it ends (possibly more than once). */
  readonly onEnd: (subscription: SqliteAllSubscription) => void;
}

/** The bounds every embedded-store subscription has unless its store is opened with others. */
export const SUBSCRIPTION_DEFAULTS: Pick<SubscriptionSettings, 'pageBytes' | 'pollIntervalMs'> = {
  pageBytes: 16 * 1024,
  pollIntervalMs: 1000,
};

/**
 * Catch-up and live are one loop: read the next page after the cursor; when a page comes back
 * whole (not cut by its event or byte bound) the subscription has reached the head, so it
 * waits for a commit (or the poll timer) and reads again. Reading strictly after the cursor
 * gives no duplicates, and positions are assigned in commit order, so no event can appear
 * behind the cursor later: no gaps.
 *
 * Memory is bounded by bytes: a page holds at most `pageBytes` of stored text (plus the one
 * event that crosses it), rows are parsed one at a time as the consumer pulls them, and the
 * next page is read only when the consumer asks for the event after the last one. A consumer
 * that stops pulling (an SSE client whose socket is full) stops the reading.
 */
export class SqliteAllSubscription implements AllSubscription {
  private readonly abort = new AbortController();
  private readonly events: AsyncGenerator<RecordedEvent>;

  constructor(
    private readonly reader: SqliteReader,
    private readonly signal: CommitSignal,
    private readonly options: SubscribeToAllOptions,
    private readonly settings: SubscriptionSettings,
  ) {
    this.events = this.follow();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.events;
  }

  async unsubscribe(): Promise<void> {
    this.abort.abort();
    // Ends the iteration even when the consumer is not currently waiting on it (a generator
    // that never started skips its `finally`, hence the explicit onEnd).
    await this.events.return(undefined);
    this.settings.onEnd(this);
  }

  private async *follow(): AsyncGenerator<RecordedEvent> {
    const { pageSize, pageBytes, pollIntervalMs } = this.settings;
    let cursor = this.options.after ?? 0n;
    try {
      while (!this.abort.signal.aborted) {
        const seen = this.signal.current(this.options.streamPrefix);
        const head = this.reader.head();
        const { rows, cut } = this.reader.allRowsWithin(cursor, head, this.options.streamPrefix, {
          maxEvents: pageSize,
          maxBytes: pageBytes,
        });
        // A whole page means every event up to `head` was scanned, matching the prefix or not,
        // so the next read need not look at the skipped ones again.
        if (cut) cursor = BigInt(rows[rows.length - 1]![0]);
        else if (head > cursor) cursor = head;
        for (const row of rows) {
          if (this.abort.signal.aborted) return;
          yield toRecordedEvent(row);
        }
        if (!cut) {
          await this.signal.wait(
            seen,
            pollIntervalMs,
            this.abort.signal,
            this.options.streamPrefix,
          );
        }
      }
    } finally {
      this.settings.onEnd(this);
    }
  }
}
