import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBus } from '@nestjs/cqrs';
import { CaseCommandPipeline } from '../../../src/cases/application/case-command.handler';
import type {
  CaseChange,
  CommandContext,
} from '../../../src/cases/application/case-command.messages';
import { upcastStored } from '../../../src/cases/application/case-event.codec';
import { CaseEventStream } from '../../../src/cases/application/case-event-stream';
import type { CreateCase } from '../../../src/cases/domain/case.commands';
import { validateCaseEvent } from '../../../src/cases/contract/case-event.schemas';
import { CASE_EVENT_TYPES } from '../../../src/cases/domain/case.events';
import { RandomIdSource } from '../../../src/common/id-source';
import type { EventStore, RecordedEvent } from '../../../src/event-store/event-store.port';
import { openSqliteEventStore } from '../../../src/event-store/sqlite/sqlite.event-store';
import { DEV_PRINCIPALS } from '../../../src/identity/dev-tokens';
import {
  ASSIGNEE,
  CLIENT_ACCOUNT,
  CLIENT_REPORTER,
  QUEUE,
  VISIBLE_PARAMETER,
} from '../../support/case.fixtures';

/**
 * The schemas against what the service really writes: the real command pipeline (decide,
 * metadata, append) on the embedded store, every event read back from the store.
 */
describe('the event contract against the events the pipeline appends', () => {
  let dir: string;
  let store: EventStore;
  let recorded: RecordedEvent[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'case-contract-'));
    store = await openSqliteEventStore({ dataDir: dir });
    const pipeline = new CaseCommandPipeline(
      new CaseEventStream(store),
      { now: () => new Date('2026-11-24T10:00:00.000Z') },
      new RandomIdSource(),
      { publishAll: () => undefined } as unknown as EventBus,
      { retries: 0, backoffMs: 0 },
    );
    const context = (extra: Partial<CommandContext> = {}): CommandContext => ({
      principal: DEV_PRINCIPALS.operations,
      correlationId: 'corr-contract-1',
      ...extra,
    });
    const created = await pipeline.open(
      createData,
      context({ idempotencyKey: 'create-1', requestHash: 'sha256-of-the-body' }),
    );
    const caseId = created.fold.caseId;
    for (const change of lifeOfACase) await pipeline.change({ ...change, caseId }, context());
    recorded = [];
    for await (const event of store.readAll({ streamPrefix: 'case-' })) recorded.push(event);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('covers every event type', () => {
    expect(new Set(recorded.map((e) => e.type))).toEqual(new Set(CASE_EVENT_TYPES));
  });

  it.each(CASE_EVENT_TYPES)('%s as stored matches its schema and the metadata schema', (type) => {
    const events = recorded.filter((e) => e.type === type);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      const { data, metadata } = upcastStored(event);
      expect(validateCaseEvent(event.type, data, metadata)).toEqual([]);
    }
  });

  it('holds the metadata of an idempotent request, key and request hash included', () => {
    const metadata = recorded[0].metadata as Record<string, unknown>;
    expect(metadata).toMatchObject({
      idempotencyKey: 'create-1',
      requestHash: 'sha256-of-the-body',
    });
    expect(validateCaseEvent(recorded[0].type, recorded[0].data, metadata)).toEqual([]);
  });
});

const createData: CreateCase['data'] = {
  chatId: 'CHT-1111-2222-3333',
  queue: QUEUE,
  account: CLIENT_ACCOUNT,
  reporter: CLIENT_REPORTER,
  assignee: null,
  parameters: [VISIBLE_PARAMETER],
  openingMessage: 'Our onboarding form is stuck.',
};

type WithoutCaseId<T> = T extends unknown ? Omit<T, 'caseId'> : never;

const lifeOfACase: WithoutCaseId<CaseChange>[] = [
  { type: 'TransferCase', data: { queue: { id: 'HQU-5555-6666', name: 'Billing' } } },
  { type: 'AssignCase', data: { assignee: ASSIGNEE } },
  { type: 'AssignCase', data: { assignee: { id: 'USR-6375-2498' } } },
  { type: 'SetAwaiting', data: { awaiting: true } },
  {
    type: 'ChangeParameters',
    data: {
      parameters: [{ id: 'PAR-9999-0001', constraints: { visibleToReporter: false }, value: 7 }],
    },
  },
  { type: 'QueryCase', data: { queryPrompt: 'Please fill in the form.' } },
  { type: 'ProcessCase', data: {} },
  { type: 'QueryCase', data: {} },
  { type: 'ProcessCase', data: {} },
  { type: 'AssignCase', data: { assignee: null } },
  { type: 'CompleteCase', data: {} },
];
