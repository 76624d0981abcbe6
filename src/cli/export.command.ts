import type { Writable } from 'node:stream';
import { CASE_STREAM_PREFIX, upcastRecordedEvent } from '../cases/application/case-stream';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { toEnvelope } from '../feed/case-event-envelope';
import { AuditCliError, EXIT } from './audit.errors';
import type { ExportFormat } from './audit.options';
import {
  CSV_HEADER,
  csvRecord,
  csvRecordOfStored,
  jsonLine,
  jsonLineOfStored,
} from './export.formats';
import { OutputSink } from './output.sink';
import { describeThroughput, startProgress } from './progress.reporter';
import { isCurrentShape, STORED, storedRowSource, toRecordedEvent } from './stored-rows';

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
  store: EventStore,
  options: ExportOptions,
  out: Writable,
  err: Writable,
): Promise<ExportResult> {
  const startedAt = process.hrtime.bigint();
  const sink = new OutputSink(out);
  const progress = startProgress('export', err, {
    head: await store.headPosition(),
    after: options.after,
  });
  const format = options.format === 'csv' ? csvRecord : jsonLine;
  let events = 0;
  let lastPosition: bigint | undefined;
  try {
    if (options.format === 'csv') await sink.write(CSV_HEADER);
    const source = storedRowSource(store);
    if (source) {
      // The embedded store: rows as stored, their JSON text copied unless it needs upcasting.
      const formatStored = options.format === 'csv' ? csvRecordOfStored : jsonLineOfStored;
      for await (const page of source.readAllRows({
        after: options.after,
        streamPrefix: CASE_STREAM_PREFIX,
      })) {
        for (const row of page) {
          const line =
            options.raw || isCurrentShape(row[STORED.metadata])
              ? formatStored(row)
              : format(toEnvelope(readable(toRecordedEvent(row))));
          if (sink.add(line)) await sink.flush();
          const pause = progress.tick(row[STORED.position]);
          if (pause) await pause;
        }
        events += page.length;
        lastPosition = BigInt(page[page.length - 1]![STORED.position]);
      }
    } else {
      // EventStoreDB: its client hands out parsed events.
      for await (const stored of store.readAll({
        after: options.after,
        streamPrefix: CASE_STREAM_PREFIX,
      })) {
        const recorded = options.raw ? stored : readable(stored);
        if (sink.add(format(toEnvelope(recorded)))) await sink.flush();
        lastPosition = recorded.position;
        events += 1;
        const pause = progress.tick(recorded.position);
        if (pause) await pause;
      }
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

function readable(stored: RecordedEvent): RecordedEvent {
  try {
    return upcastRecordedEvent(stored);
  } catch (error) {
    throw new AuditCliError(
      `Event ${stored.id} at position ${stored.position} cannot be read in the current shape ` +
        `(${error instanceof Error ? error.message : String(error)}). ` +
        `Run "verify" to list every anomaly, or export with --raw to copy events as stored.`,
      EXIT.anomalies,
    );
  }
}
