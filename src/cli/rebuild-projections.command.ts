import type { Writable } from 'node:stream';
import { rebuildProjections, type RebuildResult } from '../cases/projections/projection.rebuild';
import { openReadModels } from '../cases/projections/read-models.database';
import type { CaseEventStream } from '../cases/application/case-event-stream';
import { describeThroughput, startProgress } from './progress.reporter';

/**
 * Rebuilds the read models under `dataDir` from the first event into a new generation and
 * switches over in one transaction; a running service keeps serving the old generation until
 * then and follows the switch by itself. On EventStoreDB each service instance keeps its own
 * read models, so this runs with the DATA_DIR of the instance to rebuild.
 */
export async function runRebuildProjections(
  stream: CaseEventStream,
  dataDir: string,
  err: Writable,
): Promise<RebuildResult> {
  const startedAt = process.hrtime.bigint();
  const readModels = openReadModels(dataDir);
  const progress = startProgress('rebuild-projections', err);
  let reported = 0;
  try {
    const result = await rebuildProjections(stream, readModels, {
      onProgress: ({ events }) => {
        // Batches commit synchronously between reads; the bar only needs the count.
        for (; reported < events; reported += 1) void progress.tick();
      },
    });
    progress.stop();
    err.write(
      `rebuild-projections: generation ${result.generation} is active at position ${result.checkpoint ?? 0n}; ` +
        `${describeThroughput(result.events, startedAt)}\n`,
    );
    return result;
  } finally {
    progress.stop();
    readModels.close();
  }
}
