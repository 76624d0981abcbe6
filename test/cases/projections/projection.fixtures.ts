import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { narrowCaseView } from '../../../src/cases/access/case-visibility';
import { CaseEventStream } from '../../../src/cases/application/case-event-stream';
import { caseViewFor } from '../../../src/cases/application/case.fold';
import { CASE_EVENT_SCHEMA_VERSION, type CaseEvent } from '../../../src/cases/domain/case.events';
import type { Actor } from '../../../src/cases/domain/case.values';
import {
  caseListTable,
  participantsTable,
} from '../../../src/cases/projections/read-models.schema';
import type { ReadModelsDatabase } from '../../../src/cases/projections/read-models.database';
import type { EventStore } from '../../../src/event-store/event-store.port';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../../src/event-store/sqlite/sqlite.event-store';
import { DEV_PRINCIPALS } from '../../../src/identity/dev-tokens';

export const OPERATOR: Actor = { ...DEV_PRINCIPALS.operations };
export const CLIENT = DEV_PRINCIPALS.client;
const HIDDEN = { id: 'PAR-9999-0001', constraints: { visibleToReporter: false }, value: 7 };
const VISIBLE = { id: 'PAR-1344-4634', constraints: { visibleToReporter: true }, value: 'P1' };

export const caseCreated = (caseId: string, n: number): CaseEvent => ({
  type: 'CaseCreated',
  data: {
    caseId,
    chat: { id: `CHT-0000-0000-${String(n).padStart(4, '0')}`, type: 'case' },
    queue: { id: 'HQU-1234-1234' },
    account: { id: CLIENT.accountId, name: CLIENT.accountName },
    reporter: { id: CLIENT.id, name: CLIENT.name },
    assignee: null,
    parameters: [VISIBLE, HIDDEN],
  },
});
export const assigned = (id: string): CaseEvent => ({
  type: 'CaseAssigned',
  data: { assignee: { id }, previousAssignee: null },
});
export const awaitingSet = (awaiting: boolean): CaseEvent => ({
  type: 'CaseAwaitingChanged',
  data: { awaiting },
});
export const queried: CaseEvent = { type: 'CaseQueried', data: { queryPrompt: 'Why?' } };
export const resumed: CaseEvent = { type: 'CaseResumed', data: {} };

let tick = 0;
/** Appends to a case stream the way the command pipeline does; returns the last position. */
export async function append(
  store: EventStore,
  caseId: string,
  events: readonly { type: string; data: unknown }[],
): Promise<bigint> {
  let revision = -1n;
  for await (const event of store.readStream(`case-${caseId}`)) revision = event.revision;
  const result = await store.appendToStream(
    `case-${caseId}`,
    events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: {
        schemaVersion: CASE_EVENT_SCHEMA_VERSION,
        occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, (tick += 1))).toISOString(),
        actor: OPERATOR,
        $correlationId: randomUUID(),
        $causationId: randomUUID(),
      },
    })),
    { expectedRevision: revision < 0n ? 'no_stream' : revision },
  );
  return result.position;
}

export interface StoreFixture {
  readonly dataDir: string;
  readonly store: SqliteEventStore;
  close(): Promise<void>;
}

export async function openStoreFixture(): Promise<StoreFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'case-projection-'));
  // A small page makes the subscription deliver in several pages, as a long catch-up does.
  const store = await openSqliteEventStore({ dataDir, pageSize: 7, pollIntervalMs: 20 });
  return {
    dataDir,
    store,
    async close() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every row of the active generation, for comparing one generation or run with another. */
export function rowsOf(readModels: ReadModelsDatabase): {
  cases: unknown[];
  participants: unknown[];
} {
  const generation = readModels.activeGeneration();
  return {
    cases: readModels.db.prepare(`SELECT * FROM ${caseListTable(generation)} ORDER BY id`).all(),
    participants: readModels.db
      .prepare(`SELECT * FROM ${participantsTable(generation)} ORDER BY chat_id, seq, role`)
      .all(),
  };
}

/** What `GET /cases/{id}` answers, replayed from the stream, for each audience. */
export async function replayed(store: EventStore, caseId: string) {
  const fold = await new CaseEventStream(store).load(caseId);
  return {
    operations: caseViewFor(fold, 'operations'),
    client: narrowCaseView(caseViewFor(fold, 'account')!, 'account'),
  };
}
