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
 * wrong with it reads as no snapshot); writing one happens after the caller has its answer,
 * one write at a time per case, the newest fold waiting winning, and failures are logged.
 */
export class CaseSnapshots {
  readonly every: number;
  private readonly codec: CaseSnapshotCodec;
  private readonly logger: Pick<Logger, 'warn'>;
  /** Per case: the write running, and the newest fold waiting behind it. */
  private readonly writing = new Map<string, { running: Promise<void>; next?: CaseFold }>();

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
    const current = this.writing.get(fold.caseId);
    if (current) {
      if (!current.next || current.next.revision < fold.revision) current.next = fold;
      return;
    }
    const entry: { running: Promise<void>; next?: CaseFold } = { running: Promise.resolve() };
    this.writing.set(fold.caseId, entry);
    entry.running = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.drain(fold, entry),
    );
  }

  /** Resolves when every snapshot scheduled so far has been written (or has failed). */
  async settled(): Promise<void> {
    while (this.writing.size > 0) {
      await Promise.all([...this.writing.values()].map((entry) => entry.running));
    }
  }

  /**
   * Drops the case's snapshots, after any write of one already under way: none written
   * before this call survives it. Throws when the store cannot delete them.
   */
  async deleteSnapshots(caseId: string): Promise<void> {
    const current = this.writing.get(caseId);
    if (current) {
      current.next = undefined;
      await current.running;
    }
    await this.store.deleteSnapshots(caseStreamId(caseId));
  }

  private async drain(
    first: CaseFold,
    entry: { running: Promise<void>; next?: CaseFold },
  ): Promise<void> {
    let fold: CaseFold | undefined = first;
    while (fold) {
      await this.write(fold);
      fold = entry.next;
      entry.next = undefined;
    }
    this.writing.delete(first.caseId);
  }

  private async write(fold: CaseFold): Promise<void> {
    try {
      await this.store.writeSnapshot(caseStreamId(fold.caseId), {
        revision: BigInt(fold.revision - 1),
        version: CASE_FOLD_VERSION,
        data: await this.codec.encode(fold),
      });
    } catch (error) {
      this.logger.warn(
        `The snapshot of case ${fold.caseId} at revision ${fold.revision} was not written: ${describe(error)}`,
      );
    }
  }
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
