import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { AllSubscription } from '../../event-store/event-store.port';
import {
  PERSONAL_DATA_ERASED,
  erasureOf,
  type PersonalDataErasures,
} from '../../personal-data/personal-data.erasures';
import type { PersonalDataVault } from '../../personal-data/personal-data.vault';
import type { CaseEventStream } from '../application/case-event-stream';
import type { CaseProjection } from './case-projection';
import { CheckpointWaiters } from './checkpoint-waiters';
import { ReadModelBatch } from './read-model.batch';
import type { ReadModelsDatabase } from './read-models.database';

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * This process's reaction to `PersonalDataErased`, whoever recorded it (this instance, another
 * one, the audit CLI): drop the person's keys from the vault's cache and every cached fold.
 * Where the read models are written (the projection thread, or the main thread when the
 * projection runs there) it also re-renders the rows that hold the person in clear and scrubs
 * the old bytes from the file, with its checkpoint kept in the read models so a restart
 * re-renders nothing twice; elsewhere (the main thread beside a projection thread) the
 * checkpoint is kept in memory and it follows from the first erasure (dropping is cheap).
 */
export class ErasureFollower {
  private readonly logger = new Logger('PersonalDataErasures');
  private readonly batch: ReadModelBatch | undefined;
  /** The last erasure this process has reacted to. */
  private checkpoint: bigint | undefined;
  private subscription: AllSubscription | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private readonly waiters = new CheckpointWaiters();

  constructor(
    private readonly erasures: PersonalDataErasures,
    private readonly stream: CaseEventStream,
    private readonly vault: PersonalDataVault,
    private readonly readModels: ReadModelsDatabase,
    /**
     * The projection writing `readModels`. Told of each erasure (`erasureCommitted`): on its
     * own thread that wakes the follower there, which re-renders; here it is a no-op.
     */
    private readonly projection: CaseProjection,
    /** Whether this follower re-renders `readModels` (it runs where they are written). */
    private readonly rendering: boolean,
  ) {
    this.batch = rendering ? new ReadModelBatch(readModels) : undefined;
    this.checkpoint = rendering ? readModels.erasureCheckpoint() : undefined;
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.unsubscribe();
    await this.running;
  }

  /**
   * Resolves once the erasure at `position` has been reacted to here and in the read models
   * (which the projection thread may be the one to write), or after `timeoutMs`.
   */
  reached(position: bigint, timeoutMs = 10_000): Promise<boolean> {
    return this.waiters.until(
      () =>
        (this.checkpoint ?? -1n) >= position &&
        (this.readModels.erasureCheckpoint() ?? -1n) >= position,
      timeoutMs,
    );
  }

  private async run(): Promise<void> {
    let retryDelay = 200;
    while (!this.stopping) {
      const subscription = this.erasures.follow(this.checkpoint);
      this.subscription = subscription;
      try {
        for await (const event of subscription) {
          if (event.type === PERSONAL_DATA_ERASED) {
            await this.react(erasureOf(event).data.identity.id);
            this.projection.erasureCommitted();
          }
          if (this.rendering) this.readModels.setErasureCheckpoint(event.position);
          this.checkpoint = event.position;
          this.waiters.notify();
          retryDelay = 200;
        }
      } catch (error) {
        if (this.stopping) return;
        this.logger.warn(
          `Erasure follower lost its subscription (${(error as Error).message}); resubscribing in ${retryDelay} ms.`,
        );
        await delay(retryDelay);
        retryDelay = Math.min(retryDelay * 2, MAX_RETRY_DELAY_MS);
      } finally {
        await subscription.unsubscribe();
      }
    }
  }

  /**
   * Re-renders twice: once at once, and again once the runner has committed what it may have
   * read with the person's key before it was dropped, so no row keeps the old values.
   */
  private async react(subjectId: string): Promise<void> {
    this.vault.drop(subjectId);
    this.stream.forgetCachedFolds();
    if (!this.rendering) return;
    await this.rerender(subjectId);
    const head = this.stream.lastAppendedPosition;
    if (head !== undefined) {
      await this.projection.waitForCheckpoint(head, 5_000).catch(() => undefined);
    }
    this.stream.forgetCachedFolds();
    await this.rerender(subjectId);
    if (!this.readModels.scrub()) {
      this.logger.warn('The read models WAL could not be emptied after an erasure; retrying.');
      await delay(100);
      this.readModels.scrub();
    }
  }

  private async rerender(subjectId: string): Promise<void> {
    if (!this.batch) return;
    const generation = this.readModels.activeGeneration();
    for (const caseId of this.batch.casesMentioning(subjectId, generation)) {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const history = await this.stream.history(caseId);
        const outcome = this.batch.rerender(caseId, history, generation);
        if (outcome !== 'retry') break;
      }
    }
  }
}
