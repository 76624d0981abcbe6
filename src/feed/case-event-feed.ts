import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  CaseEventStream,
  type CaseEventSubscription,
} from '../cases/application/case-event-stream';
import { toEnvelope } from './case-event-envelope';
import type { FeedRequest } from './feed-request';
import type { SseStream } from './sse-stream';

/**
 * Pumps the case event stream (catch-up, then live) into SSE streams, one subscription per
 * connection. Each message's id is the event's global position, and the
 * subscription resumes strictly after a position, so reconnecting with the last id received
 * gives every event exactly once, in order.
 */
@Injectable()
export class CaseEventFeed implements BeforeApplicationShutdown {
  private readonly logger = new Logger(CaseEventFeed.name);
  private readonly open = new Map<SseStream, Promise<void>>();
  private shuttingDown = false;

  constructor(private readonly stream: CaseEventStream) {}

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
    const subscription = this.stream.follow({ after: request.after, types: request.types });
    // The iteration may be parked waiting for the next commit; only unsubscribing wakes it.
    sse.onClose(() => void unsubscribeQuietly(subscription));
    try {
      for await (const record of subscription) {
        if (sse.closed) break;
        await sse.send({
          id: record.position.toString(),
          event: record.event.type,
          data: JSON.stringify(toEnvelope(record)),
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

async function unsubscribeQuietly(subscription: CaseEventSubscription): Promise<void> {
  try {
    await subscription.unsubscribe();
  } catch {
    // Already ended; a second unsubscribe has nothing left to release.
  }
}
