import type { Writable } from 'node:stream';
import { auditRecord } from '../cases/application/case-audit-trail';
import { caseStreamId } from '../cases/application/case-event.codec';
import type { CaseEventStream } from '../cases/application/case-event-stream';
import type { CaseHistoryEntry } from '../cases/domain/case.history';
import { notFoundError } from './audit.errors';
import { readCaseHistory } from './case-history.reader';
import { summarizeEvent, truncate } from './event.summary';
import { OutputSink } from './output.sink';

export interface HistoryOptions {
  readonly json?: boolean;
}

const COLUMNS = [
  ['REV', 6],
  ['TIME', 24],
  ['EVENT', 21],
  ['ACTOR', 34],
] as const;

/**
 * One case's history, oldest first: a table for people, or with `json` the audit records of
 * `GET /cases/{id}/audit` as one JSON array. Rows are written as they are read, so a case of
 * any length streams through (which is also why the columns have fixed widths).
 */
export async function runHistory(
  stream: CaseEventStream,
  caseId: string,
  options: HistoryOptions,
  out: Writable,
): Promise<void> {
  const sink = new OutputSink(out);
  let count = 0;
  for await (const entry of readCaseHistory(stream, caseId)) {
    if (options.json) {
      await sink.write(
        // The tool sees what operations see: every event, every detail.
        `${count === 0 ? '[\n' : ',\n'}${JSON.stringify(auditRecord(caseId, entry, 'operations'))}`,
      );
    } else {
      if (count === 0)
        await sink.write(
          `${row(
            COLUMNS.map(([title]) => title),
            'SUMMARY',
          )}\n`,
        );
      await sink.write(`${tableRow(entry)}\n`);
    }
    count += 1;
  }
  if (count === 0)
    throw notFoundError(`No case ${caseId}: stream ${caseStreamId(caseId)} has no events.`);
  if (options.json) await sink.write('\n]\n');
  await sink.close();
}

function tableRow(entry: CaseHistoryEntry): string {
  const { actor } = entry.metadata;
  return row(
    [
      String(entry.revision),
      entry.metadata.occurredAt,
      entry.event.type,
      truncate(`${actor.name} (${actor.id})`, COLUMNS[3][1]),
    ],
    summarizeEvent(entry.event),
  );
}

function row(cells: readonly string[], last: string): string {
  const padded = cells.map((cell, i) =>
    i === 0 ? cell.padStart(COLUMNS[i]![1]) : cell.padEnd(COLUMNS[i]![1]),
  );
  return `${padded.join('  ')}  ${last}`;
}
