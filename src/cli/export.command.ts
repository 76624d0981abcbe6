import type { Writable } from 'node:stream';
import { currentSerialized } from '../cases/application/case-event.codec';
import type { CaseEventStream } from '../cases/application/case-event-stream';
import type { SerializedEvent } from '../event-store/event-store.port';
import { AuditCliError, EXIT } from './audit.errors';
import type { ExportFormat } from './audit.options';
import { CSV_HEADER, csvRecord, jsonLine } from './export.formats';
import { OutputSink } from './output.sink';
import { describeThroughput, startProgress } from './progress.reporter';

export interface ExportOptions {
  readonly format: ExportFormat;
  /** Exclusive global position; from the first event when omitted. */
  readonly after?: bigint;
  /** Events as stored, without upcasting to the current shape. */
  readonly raw?: boolean;
  /** End `out` when done: right for a file, wrong for stdout. */
  readonly endOutput?: boolean;
}

export interface ExportResult {
  readonly events: number;
  /** Position of the last event written: the `--after` of an incremental export that follows. */
  readonly lastPosition?: bigint;
}

/**
 * Every case event in global order, as the feed's envelopes. Reading waits for the output to
 * take each chunk, so memory stays at one store page and one chunk whatever the history size.
 * Events are upcast like the feed's, so an export reads the same as `GET /case-events`.
 */
export async function runExport(
  stream: CaseEventStream,
  options: ExportOptions,
  out: Writable,
  err: Writable,
): Promise<ExportResult> {
  const startedAt = process.hrtime.bigint();
  const sink = new OutputSink(out);
  const progress = startProgress('export', err, {
    head: await stream.headPosition(),
    after: options.after,
  });
  const format = options.format === 'csv' ? csvRecord : jsonLine;
  let events = 0;
  let lastPosition: bigint | undefined;
  try {
    if (options.format === 'csv') await sink.write(CSV_HEADER);
    // Stored JSON text is copied into the output as it is unless it needs upcasting.
    for await (const page of stream.readAllSerialized({ after: options.after })) {
      for (const stored of page) {
        if (sink.add(format(options.raw ? stored : readable(stored)))) await sink.flush();
        const pause = progress.tick(stored.position);
        if (pause) await pause;
      }
      events += page.length;
      lastPosition = page[page.length - 1]!.position;
    }
  } finally {
    progress.stop();
  }
  await sink.close({ end: options.endOutput });
  err.write(
    `export: ${describeThroughput(events, startedAt)}` +
      (lastPosition === undefined
        ? '\n'
        : `; last position ${lastPosition} (use --after ${lastPosition} to continue)\n`),
  );
  return { events, lastPosition };
}

function readable(stored: SerializedEvent): SerializedEvent {
  try {
    return currentSerialized(stored);
  } catch (error) {
    throw new AuditCliError(
      `Event ${stored.id} at position ${stored.position} cannot be read in the current shape ` +
        `(${error instanceof Error ? error.message : String(error)}). ` +
        `Run "verify" to list every anomaly, or export with --raw to copy events as stored.`,
      EXIT.anomalies,
    );
  }
}
