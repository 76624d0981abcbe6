import { randomUUID } from 'node:crypto';
import { CASE_EVENT_SCHEMA_VERSION, type CaseEvent } from '../../../src/cases/domain/case.events';
import { RandomIdSource } from '../../../src/common/id-source';
import type { StoredCaseEvent } from '../../support/api-spec';
import { CALLERS, type Caller } from '../../support/callers';
import {
  CLIENT_ACCOUNT,
  CLIENT_REPORTER,
  HIDDEN_PARAMETER,
  QUEUE,
  VISIBLE_PARAMETER,
} from '../../support/case.fixtures';

/** Histories for API specs, as the service would have stored them. */

const ids = new RandomIdSource();

/** A case id no other test uses: the specs of one file share an app and its store. */
export const aCaseId = (): string => ids.caseId();

/** A client's case as operations opened it: one visible and one hidden parameter. */
export const opened = (caseId: string): CaseEvent => ({
  type: 'CaseCreated',
  data: {
    caseId,
    chat: { id: ids.chatId(), type: 'case' },
    queue: QUEUE,
    account: CLIENT_ACCOUNT,
    reporter: CLIENT_REPORTER,
    assignee: null,
    parameters: [VISIBLE_PARAMETER, HIDDEN_PARAMETER],
  },
});

export interface RecordedOptions {
  readonly by?: Caller;
  readonly idempotencyKey?: string;
  readonly requestHash?: string;
}

/** Events of one command, with the metadata the pipeline writes (SPEC section 3). */
export function recorded(
  events: readonly CaseEvent[],
  { by = 'operations', ...idempotency }: RecordedOptions = {},
): StoredCaseEvent[] {
  const { id, name, accountId, accountName, accountType } = CALLERS[by];
  const metadata = {
    schemaVersion: CASE_EVENT_SCHEMA_VERSION,
    occurredAt: '2026-01-05T09:00:00.000Z',
    actor: { id, name, accountId, accountName, accountType },
    $correlationId: randomUUID(),
    $causationId: randomUUID(),
    ...idempotency,
  };
  return events.map((event) => ({ ...event, metadata }));
}

/** The history of a case that went through these commands, one event each, by operations. */
export const historyOf = (...events: CaseEvent[]): StoredCaseEvent[] =>
  events.flatMap((event) => recorded([event]));
