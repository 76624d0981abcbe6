import { setTimeout as delay } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';
import { UnreadableCaseEvent, type CaseEventRecord } from '../application/case-event.codec';
import type { CaseEventStream, CaseEventSubscription } from '../application/case-event-stream';
import type { CaseProjection } from './case-projection';
import { CheckpointWaiters } from './checkpoint-waiters';
import { ReadModelBatch, ProjectionFailed } from './read-model.batch';
import type { ReadModelsDatabase } from './read-models.database';

export interface ProjectionLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectionRunnerOptions {
  /** Named in logs and in `/health/ready`. */
  readonly name?: string;
  /** Most events committed in one transaction. */
  readonly maxBatch?: number;
  /** First wait before resubscribing after the store failed; doubles up to 30 s. */
  readonly retryDelayMs?: number;
  /**
   * Where its lines go: Nest's logger on the main thread, a relay to it on the projection
   * thread (which loads no Nest).
   */
  readonly logger: ProjectionLogger;
  /** Called after each committed batch and when the runner stops on an event. */
  readonly onProgress?: (runner: ProjectionRunner) => void;
}

const IDLE = Symbol('idle');
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Follows every case event from the read models' checkpoint, catching up and then live, and
 * commits each batch of events with the new checkpoint in one transaction: an event takes
 * effect exactly once, and a restart resumes where the last commit left off. An event the read
 * models cannot take stops the runner (logged, and reported by {@link failure}) rather than
 * being skipped; a failing store is retried.
 */
export class ProjectionRunner implements CaseProjection {
  readonly name: string;
  /** The runner applies events on the thread that built it: the projection thread, normally. */
  readonly threadId = threadId;
  private readonly logger: ProjectionLogger;
  private readonly batch: ReadModelBatch;
  private running: Promise<void> | undefined;
  private stopping: AbortController | undefined;
  private subscription: CaseEventSubscription | undefined;
  private failed: string | undefined;
  private readonly waiters = new CheckpointWaiters();

  constructor(
    private readonly stream: CaseEventStream,
    private readonly readModels: ReadModelsDatabase,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.name = options.name ?? 'cases';
    this.logger = options.logger;
    this.batch = new ReadModelBatch(readModels);
  }

  /** Position of the last event the served read models reflect; undefined before the first. */
  get checkpoint(): bigint | undefined {
    return this.readModels.checkpoint();
  }

  /** Why the runner stopped on an event, or undefined while it is healthy. */
  get failure(): string | undefined {
    return this.failed;
  }

  /** Starts following in the background; a failed runner starts again from its checkpoint. */
  start(): void {
    if (this.running) return;
    this.failed = undefined;
    const stopping = new AbortController();
    this.stopping = stopping;
    this.running = this.run(stopping.signal)
      .catch((error: Error) => this.fail(error))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Ends the subscription; a batch is committed whole or not at all, never torn. */
  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.subscription?.unsubscribe();
    await this.running;
  }

  /** On this thread the erasure follower shares the store that committed it: nothing to relay. */
  erasureCommitted(): void {}

  /** Resolves once the read models reflect `position`; for tests and read-your-writes. */
  waitForCheckpoint(position: bigint, timeoutMs = 10_000): Promise<void> {
    return this.waiters.waitFor(position, timeoutMs, {
      name: this.name,
      checkpoint: () => this.checkpoint,
      failure: () => this.failed,
    });
  }

  private async run(signal: AbortSignal): Promise<void> {
    let retryDelay = this.options.retryDelayMs ?? 200;
    while (!signal.aborted) {
      const generation = this.readModels.activeGeneration();
      const subscription = this.stream.follow({ after: this.readModels.checkpoint(generation) });
      this.subscription = subscription;
      try {
        await this.follow(subscription, generation);
        retryDelay = this.options.retryDelayMs ?? 200;
      } catch (error) {
        // An event that cannot be read or applied is not a passing fault: retrying cannot help.
        if (error instanceof ProjectionFailed || error instanceof UnreadableCaseEvent) {
          return this.fail(error);
        }
        this.logger.warn(
          `Projection ${this.name} lost its subscription (${(error as Error).message}); resubscribing in ${retryDelay} ms.`,
        );
        await delay(retryDelay, undefined, { signal }).catch(() => undefined);
        retryDelay = Math.min(retryDelay * 2, MAX_RETRY_DELAY_MS);
      } finally {
        await subscription.unsubscribe();
      }
    }
  }

  /**
   * Takes every event that is already available (up to `maxBatch`) into one transaction, so
   * catching up costs one commit per batch rather than one per event. Returns when the
   * subscription ends or when a rebuild switched generations, which means resubscribing from
   * the new generation's checkpoint.
   */
  private async follow(subscription: CaseEventSubscription, generation: number): Promise<void> {
    const maxBatch = this.options.maxBatch ?? 500;
    const events = subscription[Symbol.asyncIterator]();
    let pending = events.next();
    try {
      for (;;) {
        const first = await pending;
        if (first.done) return;
        const batch: CaseEventRecord[] = [first.value];
        pending = events.next();
        while (batch.length < maxBatch) {
          const next = await Promise.race([pending, nextTurn()]).catch((error: unknown) => {
            // What came before an unreadable event is sound: keep it, then stop on that event.
            this.batch.commit(batch, generation);
            this.notifyCommit();
            throw error;
          });
          if (next === IDLE || next.done) break;
          batch.push(next.value);
          pending = events.next();
        }
        const committed = this.batch.commit(batch, generation);
        this.notifyCommit();
        if (committed === 'generation-changed') return;
      }
    } finally {
      pending.catch(() => undefined);
    }
  }

  private fail(error: Error): void {
    this.failed = error.message;
    this.logger.error(
      `Projection ${this.name} stopped: ${error.message}. Nothing after position ` +
        `${this.checkpoint ?? '(none)'} is applied until the runner is restarted.`,
    );
    this.notifyCommit();
  }

  private notifyCommit(): void {
    this.waiters.notify();
    this.options.onProgress?.(this);
  }
}

/** Resolves after pending I/O callbacks: whatever the subscription already holds comes first. */
function nextTurn(): Promise<typeof IDLE> {
  return new Promise((resolve) => setImmediate(() => resolve(IDLE)));
}
