/**
 * A `$all` subscription that outlives dropped connections. It remembers the position of the
 * last event it delivered (its checkpoint) and, when the server drops the subscription or
 * goes away, subscribes again from there. The server starts a subscription after the given
 * position, and anything at or before the checkpoint is skipped anyway, so a consumer sees
 * each event once, in order.
 *
 * Server checkpoint messages are deliberately not used to move the resume point: a filtered
 * subscription's checkpoint has, in some server versions, named a position not yet delivered.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  START,
  streamNameFilter,
  type AllStreamSubscription,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type { AllSubscription, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import { StoreUnavailable } from '../event-store.errors';
import { isTransient } from './esdb.errors';
import { toRecordedEvent } from './esdb.recorded-events';

export interface ResubscribePolicy {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

interface SubscriptionSettings extends ResubscribePolicy {
  /** Longest wait for the server to confirm a subscription before trying again. */
  readonly confirmMs: number;
  /** Maps a failure that is not transient to the port's error. */
  readonly fail: (error: unknown) => unknown;
}

/** Stream names of EventStoreDB's own records ($stats, $ce- links, metadata) start with `$`. */
export const USER_STREAMS = '^[^$]';

export class EsdbAllSubscription implements AllSubscription {
  private checkpoint: bigint | undefined;
  private current: AllStreamSubscription | undefined;
  private readonly stopped = new AbortController();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeToAllOptions,
    private readonly policy: SubscriptionSettings,
  ) {
    this.checkpoint = options.after;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.events();
  }

  async unsubscribe(): Promise<void> {
    this.stopped.abort();
    await this.release();
  }

  private async *events(): AsyncGenerator<RecordedEvent> {
    let failures = 0;
    try {
      while (!this.stopped.signal.aborted) {
        const subscription = this.open();
        try {
          for await (const resolved of subscription) {
            failures = 0;
            const event = toRecordedEvent(resolved);
            if (this.checkpoint !== undefined && event.position <= this.checkpoint) continue;
            this.checkpoint = event.position;
            yield event;
          }
        } catch (error) {
          if (this.stopped.signal.aborted) return;
          if (!isTransient(error)) throw this.policy.fail(error);
        }
        await this.release();
        await this.pause(failures++);
      }
    } finally {
      await this.release();
    }
  }

  private open(): AllStreamSubscription {
    const { streamPrefix } = this.options;
    const at = this.checkpoint;
    const subscription = this.client.subscribeToAll({
      fromPosition: at === undefined ? START : { commit: at, prepare: at },
      filter: streamPrefix
        ? streamNameFilter({ prefixes: [streamPrefix] })
        : streamNameFilter({ regex: USER_STREAMS }),
    });
    // A subscription waits for live events without any deadline; a server that never even
    // confirms it is silent, so this one counts as failed and is tried again.
    const { confirmMs } = this.policy;
    const unconfirmed = setTimeout(() => {
      subscription.destroy(
        new StoreUnavailable(`EventStoreDB did not confirm a subscription within ${confirmMs} ms`),
      );
    }, confirmMs);
    unconfirmed.unref();
    const confirmed = () => clearTimeout(unconfirmed);
    subscription.once('confirmation', confirmed).once('close', confirmed);
    this.current = subscription;
    return subscription;
  }

  /** Cancels the call and ends the stream, which the client leaves open after a cancel. */
  private async release(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (!current) return;
    await current.unsubscribe();
    current.destroy();
  }

  private async pause(failures: number): Promise<void> {
    const wait = Math.min(
      this.policy.maxDelayMs,
      this.policy.firstDelayMs * 2 ** Math.min(failures, 16),
    );
    await delay(wait, undefined, { signal: this.stopped.signal }).catch(() => undefined);
  }
}
