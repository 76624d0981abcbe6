/**
 * A downstream consumer of case events, written on the official client alone (no code of this
 * service), as another team would write one. It follows either the `$ce-case` category stream
 * (link events, resolved to the case events they point at) or `$all` filtered server-side to
 * streams starting `case-`, hands each case event to `handle` once, in order, and saves a
 * checkpoint after each. When the server drops the subscription it subscribes again from the
 * saved checkpoint; a new consumer given the same checkpoint store resumes where the last one
 * stopped. The checkpoint is the link's revision in `$ce-case`, or the event's `$all` position.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  START,
  streamNameFilter,
  type EventStoreDBClient,
  type Position,
  type ResolvedEvent,
  type StreamSubscription,
  type AllStreamSubscription,
} from '@eventstore/db-client';

export type CaseSource = '$ce-case' | '$all';

export interface CheckpointStore {
  load(): Promise<bigint | Position | undefined>;
  save(checkpoint: bigint | Position): Promise<void>;
}

export interface CaseEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
}

export class CaseConsumer {
  private current: StreamSubscription | AllStreamSubscription | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly source: CaseSource,
    private readonly checkpoints: CheckpointStore,
    private readonly handle: (event: CaseEvent) => Promise<void>,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.current?.unsubscribe();
    // The client leaves the stream open after a cancel; destroying it ends the for-await.
    this.current?.destroy();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const subscription = await this.subscribe();
        for await (const resolved of subscription) await this.deliver(resolved);
      } catch {
        // Dropped (server restart, leader change, lost connection): resubscribe from the
        // checkpoint after a pause. A production consumer would also log and count this.
      }
      if (!this.stopped) await delay(100);
    }
  }

  private async subscribe(): Promise<StreamSubscription | AllStreamSubscription> {
    const checkpoint = await this.checkpoints.load();
    this.current =
      this.source === '$ce-case'
        ? this.client.subscribeToStream('$ce-case', {
            fromRevision: typeof checkpoint === 'bigint' ? checkpoint : START,
            resolveLinkTos: true,
          })
        : this.client.subscribeToAll({
            fromPosition: typeof checkpoint === 'object' ? checkpoint : START,
            filter: streamNameFilter({ prefixes: ['case-'] }),
          });
    return this.current;
  }

  private async deliver(resolved: ResolvedEvent): Promise<void> {
    // In `$ce-case` every record is a link; one whose case event was deleted or scavenged
    // comes back unresolved (no `link`, the link itself as `event`) and is skipped.
    const category = this.source === '$ce-case';
    const event = category && !resolved.link ? undefined : resolved.event;
    if (event) {
      await this.handle({
        streamId: event.streamId,
        revision: event.revision,
        id: event.id,
        type: event.type,
        data: event.data,
      });
    }
    const link = resolved.link ?? resolved.event;
    if (category && link) await this.checkpoints.save(link.revision);
    else if (!category && event?.position) await this.checkpoints.save(event.position);
  }
}
