import type { AllSubscription, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import { copyOf, type InMemoryLog } from './in-memory.log';

/**
 * Catch-up and live are one loop over the log: yield what is past the cursor, then wait for
 * the next append. The log only grows and is read synchronously between waits, so nothing can
 * land behind the cursor (no gaps) or be read twice (no duplicates).
 */
export class InMemoryAllSubscription implements AllSubscription {
  private readonly abort = new AbortController();
  private readonly events: AsyncGenerator<RecordedEvent>;

  constructor(
    private readonly log: InMemoryLog,
    private readonly options: SubscribeToAllOptions,
    /** Called when the subscription ends, however it ends (possibly more than once). */
    private readonly onEnd: (subscription: InMemoryAllSubscription) => void,
  ) {
    this.events = this.follow();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.events;
  }

  async unsubscribe(): Promise<void> {
    this.abort.abort();
    // Ends the iteration even when nobody is waiting on it: a generator that never started
    // skips its `finally`, hence the explicit onEnd.
    await this.events.return(undefined);
    this.onEnd(this);
  }

  private async *follow(): AsyncGenerator<RecordedEvent> {
    let cursor = this.options.after ?? 0n;
    try {
      while (!this.abort.signal.aborted) {
        const appended = this.log.nextAppend(this.abort.signal);
        for (const event of this.log.after(cursor, this.options.streamPrefix)) {
          cursor = event.position;
          yield copyOf(event);
          if (this.abort.signal.aborted) return;
        }
        await appended;
      }
    } finally {
      this.onEnd(this);
    }
  }
}
