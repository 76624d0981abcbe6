import type { Writable } from 'node:stream';
import { caseStreamId } from '../cases/application/case-stream';
import { caseViewOf, emptyCaseViewFold, stepCaseView } from '../cases/domain/case.view';
import { narrowCaseView, type PresentedCase } from '../cases/http/case.presenter';
import type { EventStore } from '../event-store/event-store.port';
import { maySeeEvent } from '../identity/case-access.policy';
import { DEV_PRINCIPALS } from '../identity/dev-tokens';
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

const AUDITOR = DEV_PRINCIPALS.operations;
const seenByAuditor = (entry: Parameters<typeof maySeeEvent>[1]) => maySeeEvent(AUDITOR, entry);

/**
 * A case replayed up to a revision or a time. The fold steps one event at a time and stops
 * reading as soon as it has passed the point asked for, so neither a long case nor an early
 * revision costs more than the events up to it.
 */
export async function runState(
  store: EventStore,
  caseId: string,
  options: StateOptions,
  out: Writable,
): Promise<void> {
  const presented = await replayCase(store, caseId, options);
  const sink = new OutputSink(out);
  await sink.write(
    options.json ? `${JSON.stringify(presented, null, 2)}\n` : renderCase(presented),
  );
  await sink.close();
}

export async function replayCase(
  store: EventStore,
  caseId: string,
  { revision, at }: StateOptions,
): Promise<PresentedCase> {
  if (revision !== undefined && at !== undefined) {
    throw usageError('Give --revision or --at, not both.');
  }
  let fold = emptyCaseViewFold;
  let createdAt: string | undefined;
  for await (const entry of readCaseHistory(store, caseId)) {
    // Times are those the service recorded (metadata.occurredAt), which is what `audit` shows.
    if (at !== undefined && Date.parse(entry.metadata.occurredAt) > at.getTime()) {
      createdAt ??= entry.metadata.occurredAt;
      break;
    }
    createdAt ??= entry.metadata.occurredAt;
    fold = stepCaseView(fold, entry, seenByAuditor);
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
  const view = caseViewOf(fold);
  if (!view) {
    throw notFoundError(
      `Case ${caseId} did not exist yet at ${at!.toISOString()}; it was created at ${createdAt}.`,
    );
  }
  return narrowCaseView(view, AUDITOR);
}
