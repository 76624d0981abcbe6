import type { AllSubscription, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import type { CommitSignal } from './commit-signal';
import type { SqliteReader } from './sqlite.reader';

export interface SubscriptionSettings {
  readonly pageSize: number;
  readonly pollIntervalMs: number;
  /** Called when the subscription ends, however it ends (possibly more than once). */
  readonly onEnd: (subscription: SqliteAllSubscription) => void;
}

/**
 * Catch-up and live are one loop: read the next page after the cursor; when a page comes back
 * short the subscription has reached the head, so it waits for a commit (or the poll timer)
 * and reads again. Reading strictly after the cursor gives no duplicates, and positions are
 * assigned in commit order, so no event can appear behind the cursor later: no gaps.
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
    const { pageSize, pollIntervalMs } = this.settings;
    let cursor = this.options.after ?? 0n;
    try {
      while (!this.abort.signal.aborted) {
        const seen = this.signal.current;
        const head = this.reader.head();
        const page = this.reader.allPage(cursor, head, this.options.streamPrefix, pageSize);
        // A short page means every event up to `head` was scanned, matching the prefix or not,
        // so the next read need not look at the skipped ones again.
        if (page.length === pageSize) cursor = page[page.length - 1]!.position;
        else if (head > cursor) cursor = head;
        for (const event of page) {
          if (this.abort.signal.aborted) return;
          yield event;
        }
        if (page.length < pageSize) {
          await this.signal.wait(seen, pollIntervalMs, this.abort.signal);
        }
      }
    } finally {
      this.settings.onEnd(this);
    }
  }
}
