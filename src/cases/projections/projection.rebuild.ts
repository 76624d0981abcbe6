import type { CaseEventRecord } from '../application/case-event.codec';
import type { CaseEventStream } from '../application/case-event-stream';
import { ReadModelBatch } from './read-model.batch';
import type { ReadModelsDatabase } from './read-models.database';

export interface RebuildOptions {
  /** Events per transaction; also the most held in memory at once. */
  readonly batchSize?: number;
  /** Called after each committed batch, e.g. to drive a progress bar. */
  readonly onProgress?: (progress: { events: number; position: bigint }) => void;
}

export interface RebuildResult {
  readonly generation: number;
  readonly events: number;
  readonly checkpoint: bigint | undefined;
}

/** Catch-up passes before switching; a live runner applies whatever arrives after the last. */
const PASSES = 2;

/**
 * Rebuilds the read models from the first event into a fresh generation while the active one
 * keeps serving (and the live runner keeps applying to it), then switches over in one
 * transaction. The live runner notices the switch at its next commit and resubscribes from the
 * new generation's checkpoint, so events appended during the rebuild are not lost. On failure
 * the new generation is dropped and the active one is untouched.
 *
 * Plain code over the case event stream, so the audit command line can run it without Nest, in the service's
 * process or beside it (the switch is a row in the shared read-models file).
 */
export async function rebuildProjections(
  stream: CaseEventStream,
  readModels: ReadModelsDatabase,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const batchSize = options.batchSize ?? 500;
  const generation = readModels.createGeneration();
  const batches = new ReadModelBatch(readModels);
  let events = 0;
  try {
    for (let pass = 0; pass < PASSES; pass += 1) {
      let batch: CaseEventRecord[] = [];
      const flush = () => {
        batches.commit(batch, generation, { requireActive: false });
        events += batch.length;
        options.onProgress?.({ events, position: batch[batch.length - 1]!.position });
        batch = [];
      };
      const after = readModels.checkpoint(generation);
      for await (const event of stream.readAll({ after })) {
        batch.push(event);
        if (batch.length >= batchSize) flush();
      }
      if (batch.length > 0) flush();
    }
    readModels.switchTo(generation);
  } catch (error) {
    readModels.dropGeneration(generation);
    throw error;
  }
  return { generation, events, checkpoint: readModels.checkpoint(generation) };
}
