import { Logger } from '@nestjs/common';
import type { SnapshotStore } from '../../event-store/snapshot-store.port';
import { caseStreamId } from './case-event.codec';
import { jsonCaseSnapshotCodec, type CaseSnapshotCodec } from './case-snapshot.codec';
import { CASE_FOLD_VERSION, type CaseFold } from './case.fold';

export interface CaseSnapshotOptions {
  /** A snapshot every this many events of a case (must be at least 1). */
  readonly every: number;
  readonly codec?: CaseSnapshotCodec;
  /** Where failures go; they never reach a caller. */
  readonly logger?: Pick<Logger, 'warn'>;
}

/**
 * Snapshots of case folds, for the case event stream only. Reading one never fails (anything
 * wrong with it reads as no snapshot, and an unusable one is deleted); writing one happens
 * after the caller has its answer, one write at a time per case, the newest fold waiting
 * winning, and failures are logged.
 */
export class CaseSnapshots {
  readonly every: number;
  private readonly codec: CaseSnapshotCodec;
  private readonly logger: Pick<Logger, 'warn'>;
  /** Per case: the work running, and what waits behind it (a deletion first, then a fold). */
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly store: SnapshotStore,
    options: CaseSnapshotOptions,
  ) {
    if (!Number.isInteger(options.every) || options.every < 1) {
      throw new RangeError(`Snapshots every ${options.every} events: must be a whole number ≥ 1`);
    }
    this.every = options.every;
    this.codec = options.codec ?? jsonCaseSnapshotCodec;
    this.logger = options.logger ?? new Logger('CaseSnapshots');
  }

  /**
   * The case's snapshot of this fold version, if it has one not past `upTo`; its fold is still
   * to be checked against the events. Undefined for a missing, unreadable or stale one.
   */
  async read(caseId: string, upTo?: number): Promise<CaseFold | undefined> {
    try {
      const stored = await this.store.readSnapshot(caseStreamId(caseId));
      if (!stored || stored.version !== CASE_FOLD_VERSION) return undefined;
      const fold = await this.codec.decode(stored.data, caseId);
      if (!fold || BigInt(fold.revision) !== stored.revision + 1n) {
        this.logger.warn(`The snapshot of case ${caseId} is unreadable; reading its events`);
        this.discard(caseId);
        return undefined;
      }
      return upTo === undefined || fold.revision <= upTo ? fold : undefined;
    } catch (error) {
      this.logger.warn(`The snapshot of case ${caseId} could not be read: ${describe(error)}`);
      return undefined;
    }
  }

  /** Whether going from revision `from` to `to` passed a multiple of `every`. */
  crossed(from: number, to: number): boolean {
    return Math.floor(to / this.every) > Math.floor(from / this.every);
  }

  /** Writes a snapshot of `fold` soon, not on the caller's time. */
  schedule(fold: CaseFold): void {
    const queue = this.queueOf(fold.caseId);
    if (!queue.next || queue.next.revision < fold.revision) queue.next = fold;
  }

  /**
   * Deletes the case's snapshot soon: one that turned out unusable (unreadable, or not of the
   * case's events) would otherwise keep a later snapshot of the same revision out.
   */
  discard(caseId: string): void {
    this.queueOf(caseId).discard = true;
  }

  /** Resolves when every snapshot scheduled so far has been written (or has failed). */
  async settled(): Promise<void> {
    while (this.queues.size > 0) {
      await Promise.all([...this.queues.values()].map((queue) => queue.running));
    }
  }

  private queueOf(caseId: string): Queue {
    let queue = this.queues.get(caseId);
    if (!queue) {
      const started: Queue = { running: Promise.resolve() };
      started.running = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
        this.drain(caseId, started),
      );
      this.queues.set(caseId, started);
      queue = started;
    }
    return queue;
  }

  private async drain(caseId: string, queue: Queue): Promise<void> {
    while (queue.discard || queue.next) {
      if (queue.discard) {
        queue.discard = false;
        await this.attempt(`The snapshot of case ${caseId} was not deleted`, () =>
          this.store.deleteSnapshots(caseStreamId(caseId)),
        );
      }
      const fold = queue.next;
      queue.next = undefined;
      if (fold) await this.write(fold);
    }
    this.queues.delete(caseId);
  }

  private async write(fold: CaseFold): Promise<void> {
    const failure = `The snapshot of case ${fold.caseId} at revision ${fold.revision} was not written`;
    await this.attempt(failure, async () => {
      const data = await this.codec.encode(fold);
      if (data === undefined) return;
      await this.store.writeSnapshot(caseStreamId(fold.caseId), {
        revision: BigInt(fold.revision - 1),
        version: CASE_FOLD_VERSION,
        data,
      });
    });
  }

  /** Runs `work`, logging its failure after `failure`: snapshots never fail a caller. */
  private async attempt(failure: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.logger.warn(`${failure}: ${describe(error)}`);
    }
  }
}

interface Queue {
  running: Promise<void>;
  next?: CaseFold;
  discard?: boolean;
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
