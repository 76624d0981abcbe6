import type { CaseEventRecord } from '../application/case-event.codec';
import { CaseReadModelWriter } from './case-read-model.writer';
import type { ReadModelsDatabase } from './read-models.database';

/** An event the read models could not take; the events before it in its batch are committed. */
export class ProjectionFailed extends Error {
  override readonly name = 'ProjectionFailed';
  constructor(
    readonly event: CaseEventRecord,
    override readonly cause: unknown,
  ) {
    super(
      `Cannot apply event ${event.eventId} (${event.event.type}, revision ${event.revision} of ` +
        `${event.streamId}, position ${event.position}): ${(cause as Error)?.message ?? cause}`,
    );
  }
}

export type BatchOutcome = 'committed' | 'generation-changed';

/**
 * Commits events to one generation of the read models together with its checkpoint, in one
 * transaction. Both the live runner and a rebuild write through it.
 */
export class ReadModelBatch {
  private writer: { generation: number; writer: CaseReadModelWriter } | undefined;

  constructor(private readonly readModels: ReadModelsDatabase) {}

  /**
   * `generation` is the one the caller subscribed for; if a rebuild has switched away from it,
   * nothing is written and the caller must resubscribe from the new checkpoint. Events at or
   * before the checkpoint are already applied and are passed over: that is what makes a
   * redelivery harmless.
   */
  commit(
    events: readonly CaseEventRecord[],
    generation: number,
    { requireActive = true } = {},
  ): BatchOutcome {
    try {
      return this.commitAll(events, generation, requireActive);
    } catch (error) {
      if (!(error instanceof ProjectionFailed)) throw error;
      const good = events.slice(0, events.indexOf(error.event));
      if (good.length > 0) this.commitAll(good, generation, requireActive);
      throw error;
    }
  }

  /**
   * Replaces the case's rows by its `history` as read now (personal data of an erased person
   * reads as erased), up to the revision the rows reflected, in one transaction. `retry` when
   * the rows are ahead of `history` (the runner applied events after it was read).
   */
  rerender(
    caseId: string,
    history: readonly CaseEventRecord[],
    generation: number,
  ): 'done' | 'retry' | 'generation-changed' {
    return this.readModels.immediate(() => {
      if (this.readModels.activeGeneration() !== generation) return 'generation-changed';
      const writer = this.writerFor(generation);
      const revision = writer.revisionOf(caseId);
      if (revision === 0) return 'done';
      if (history.length < revision) return 'retry';
      writer.remove(caseId);
      for (const event of history.slice(0, revision)) writer.apply(event);
      return 'done';
    });
  }

  /** Cases of the generation whose rows hold anything of this person. */
  casesMentioning(subjectId: string, generation: number): string[] {
    return this.writerFor(generation).casesMentioning(subjectId);
  }

  private commitAll(
    events: readonly CaseEventRecord[],
    generation: number,
    requireActive: boolean,
  ): BatchOutcome {
    return this.readModels.immediate(() => {
      if (requireActive && this.readModels.activeGeneration() !== generation) {
        return 'generation-changed';
      }
      const checkpoint = this.readModels.checkpoint(generation);
      const writer = this.writerFor(generation);
      let last = checkpoint;
      for (const event of events) {
        if (last !== undefined && event.position <= last) continue;
        try {
          writer.apply(event);
        } catch (cause) {
          throw new ProjectionFailed(event, cause);
        }
        last = event.position;
      }
      if (last !== undefined && last !== checkpoint) {
        this.readModels.setCheckpoint(generation, last);
      }
      return 'committed';
    });
  }

  private writerFor(generation: number): CaseReadModelWriter {
    if (this.writer?.generation !== generation) {
      this.writer = { generation, writer: new CaseReadModelWriter(this.readModels.db, generation) };
    }
    return this.writer.writer;
  }
}
