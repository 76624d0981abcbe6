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
