import type { Writable } from 'node:stream';
import type { PresentedCase } from '../cases/access/case-visibility';
import { caseStreamId } from '../cases/application/case-event.codec';
import type { CaseEventStream } from '../cases/application/case-event-stream';
import { caseViewFor, emptyCaseFold, foldCase } from '../cases/application/case.fold';
import { notFoundError, usageError } from './audit.errors';
import { readCaseHistory } from './case-history.reader';
import { renderCase } from './case.rendering';
import { OutputSink } from './output.sink';

export interface StateOptions {
  /** The case as it was once this revision (1-based, as the API counts) happened. */
  readonly revision?: number;
  /** The case as it was at this time: its last revision that occurred at or before it. */
  readonly at?: Date;
  readonly json?: boolean;
}

/**
 * A case replayed up to a revision or a time. The fold steps one event at a time and stops
 * reading as soon as it has passed the point asked for, so neither a long case nor an early
 * revision costs more than the events up to it.
 */
export async function runState(
  stream: CaseEventStream,
  caseId: string,
  options: StateOptions,
  out: Writable,
): Promise<void> {
  const presented = await replayCase(stream, caseId, options);
  const sink = new OutputSink(out);
  await sink.write(
    options.json ? `${JSON.stringify(presented, null, 2)}\n` : renderCase(presented),
  );
  await sink.close();
}

export async function replayCase(
  stream: CaseEventStream,
  caseId: string,
  { revision, at }: StateOptions,
): Promise<PresentedCase> {
  if (revision !== undefined && at !== undefined) {
    throw usageError('Give --revision or --at, not both.');
  }
  let fold = emptyCaseFold(caseId);
  let createdAt: string | undefined;
  for await (const entry of readCaseHistory(stream, caseId)) {
    // Times are those the service recorded (metadata.occurredAt), which is what `audit` shows.
    if (at !== undefined && Date.parse(entry.metadata.occurredAt) > at.getTime()) {
      createdAt ??= entry.metadata.occurredAt;
      break;
    }
    createdAt ??= entry.metadata.occurredAt;
    fold = foldCase(fold, [entry]);
    if (fold.revision === revision) break;
  }
  if (createdAt === undefined) {
    throw notFoundError(`No case ${caseId}: stream ${caseStreamId(caseId)} has no events.`);
  }
  if (revision !== undefined && fold.revision < revision) {
    throw notFoundError(
      `Case ${caseId} has no revision ${revision}; its latest is ${fold.revision}.`,
    );
  }
  // The tool sees what operations see: every field, every audit entry.
  const view = caseViewFor(fold, 'operations');
  if (!view) {
    throw notFoundError(
      `Case ${caseId} did not exist yet at ${at!.toISOString()}; it was created at ${createdAt}.`,
    );
  }
  return view;
}
