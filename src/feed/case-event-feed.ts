import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { CASE_STREAM_PREFIX, upcastRecordedEvent } from '../cases/application/case-stream';
import type { CaseEventType } from '../cases/domain/case.events';
import { EventStore, type AllSubscription } from '../event-store/event-store.port';
import { toEnvelope } from './case-event-envelope';
import type { FeedRequest } from './feed-request';
import type { SseStream } from './sse-stream';

/**
 * Pumps the store's `$all` subscription (catch-up, then live) into SSE streams, one
 * subscription per connection. Each message's id is the event's global position, and the
 * subscription resumes strictly after a position, so reconnecting with the last id received
 * gives every event exactly once, in order.
 */
@Injectable()
export class CaseEventFeed implements BeforeApplicationShutdown {
  private readonly logger = new Logger(CaseEventFeed.name);
  private readonly open = new Map<SseStream, Promise<void>>();
  private shuttingDown = false;

  constructor(private readonly store: EventStore) {}

  /** Resolves when the stream has ended; never rejects, the response is already under way. */
  serve(request: FeedRequest, sse: SseStream): Promise<void> {
    if (this.shuttingDown) {
      sse.end();
      return Promise.resolve();
    }
    const run = this.pump(request, sse).finally(() => this.open.delete(sse));
    this.open.set(sse, run);
    return run;
  }

  /** Open streams would otherwise hold the HTTP server open and block shutdown forever. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    const running = [...this.open.entries()];
    running.forEach(([sse]) => sse.end());
    await Promise.all(running.map(([, run]) => run));
  }

  private async pump(request: FeedRequest, sse: SseStream): Promise<void> {
    const subscription = this.store.subscribeToAll({
      after: request.after,
      streamPrefix: CASE_STREAM_PREFIX,
    });
    // The iteration may be parked waiting for the next commit; only unsubscribing wakes it.
    sse.onClose(() => void unsubscribeQuietly(subscription));
    try {
      for await (const stored of subscription) {
        if (sse.closed) break;
        if (request.types && !request.types.has(stored.type as CaseEventType)) continue;
        const recorded = upcastRecordedEvent(stored);
        await sse.send({
          id: recorded.position.toString(),
          event: recorded.type,
          data: JSON.stringify(toEnvelope(recorded)),
        });
      }
    } catch (error) {
      // Ending the stream makes the client reconnect from its last id, so nothing is skipped.
      this.logger.error({ err: error }, 'The case event feed failed; ending the stream');
    } finally {
      sse.end();
      await unsubscribeQuietly(subscription);
    }
  }

  get openStreams(): number {
    return this.open.size;
  }
}

async function unsubscribeQuietly(subscription: AllSubscription): Promise<void> {
  try {
    await subscription.unsubscribe();
  } catch {
    // Already ended; a second unsubscribe has nothing left to release.
  }
}
