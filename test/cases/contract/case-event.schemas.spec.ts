import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EventContractUnavailable,
  SCHEMAS_DIR,
  loadEventContract,
  validateCaseEvent,
  validateFeedEnvelope,
} from '../../../src/cases/contract/case-event.schemas';
import { CASE_EVENT_SCHEMA_VERSION, CASE_EVENT_TYPES } from '../../../src/cases/domain/case.events';

describe('validateCaseEvent', () => {
  it('loads a schema for every event type', () => {
    expect([...loadEventContract().events.keys()]).toEqual(CASE_EVENT_TYPES);
  });

  it('accepts a valid event', () => {
    expect(validateCaseEvent('CaseAwaitingChanged', { awaiting: true }, metadata())).toEqual([]);
  });

  it('names a missing field', () => {
    expect(validateCaseEvent('CaseTransferred', { to: queue }, metadata())).toEqual([
      "data: must have required property 'from'",
    ]);
  });

  it('names a field of the wrong type, however deep', () => {
    const problems = validateCaseEvent(
      'CaseAssigned',
      { assignee: { id: 42 }, previousAssignee: null },
      metadata(),
    );
    expect(problems).toEqual(['data/assignee/id: must be string']);
  });

  it('refuses a field the contract does not have', () => {
    expect(validateCaseEvent('CaseCompleted', { reason: 'done' }, metadata())).toEqual([
      'data: must not have property "reason"',
    ]);
  });

  it('checks identifier formats', () => {
    const problems = validateCaseEvent(
      'CaseTransferred',
      { from: queue, to: { id: 'nope' } },
      metadata(),
    );
    expect(problems).toEqual(['data/to/id: must match pattern "^HQU(-\\d{4}){2,4}$"']);
  });

  it('checks the metadata: required fields, formats and the idempotency pair', () => {
    const problems = validateCaseEvent(
      'CaseResumed',
      {},
      metadata({ occurredAt: 'yesterday', actor: undefined, idempotencyKey: 'k' }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        "metadata: must have required property 'actor'",
        'metadata/occurredAt: must match format "date-time"',
        'metadata: must have property requestHash when property idempotencyKey is present',
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it('refuses an event in an old shape that was not upcast', () => {
    expect(
      validateCaseEvent('CaseQueried', { prompt: 'Why?' }, metadata({ schemaVersion: 0 })),
    ).toEqual([
      "data: must have required property 'queryPrompt'",
      'data: must not have property "prompt"',
      `metadata/schemaVersion: is 0, not the current ${CASE_EVENT_SCHEMA_VERSION}; upcast before validating`,
    ]);
  });

  it('refuses version-1 metadata ({correlationId, causationId}) that was not upcast', () => {
    const { $correlationId, $causationId, ...rest } = metadata();
    const v1 = {
      ...rest,
      schemaVersion: 1,
      correlationId: $correlationId,
      causationId: $causationId,
    };
    expect(validateCaseEvent('CaseResumed', {}, v1)).toEqual([
      "metadata: must have required property '$correlationId'",
      "metadata: must have required property '$causationId'",
      'metadata: must not have property "correlationId"',
      'metadata: must not have property "causationId"',
      `metadata/schemaVersion: is 1, not the current ${CASE_EVENT_SCHEMA_VERSION}; upcast before validating`,
    ]);
  });

  it('describes the metadata of the version the service writes', () => {
    const schema = JSON.parse(
      readFileSync(join(SCHEMAS_DIR, 'event-metadata.schema.json'), 'utf8'),
    ) as { properties: { schemaVersion: { const: number } } };
    expect(schema.properties.schemaVersion.const).toBe(CASE_EVENT_SCHEMA_VERSION);
    const newer = CASE_EVENT_SCHEMA_VERSION + 1;
    expect(validateCaseEvent('CaseResumed', {}, metadata({ schemaVersion: newer }))).toEqual([
      `metadata/schemaVersion: is ${newer}, not the current ${CASE_EVENT_SCHEMA_VERSION}; upcast before validating`,
    ]);
  });

  it('refuses an unknown event type', () => {
    expect(validateCaseEvent('CaseDeleted', {}, metadata())).toEqual([
      expect.stringMatching(/^type: unknown event type "CaseDeleted"; known: CaseCreated, /),
    ]);
  });
});

describe('validateFeedEnvelope', () => {
  const envelope = {
    eventId: '0b7e7d4e-1b7a-4b8e-9a34-5d1f3f0c2a11',
    type: 'CaseResumed',
    streamId: 'case-CAS-1234-5678-9012',
    caseId: 'CAS-1234-5678-9012',
    revision: '4',
    position: '18446744073709551615',
    data: {},
    metadata: metadata(),
    created: '2026-11-24T10:00:00.000Z',
  };

  it('accepts an envelope whose event keeps the contract', () => {
    expect(validateFeedEnvelope(envelope)).toEqual([]);
  });

  it('refuses numbers where decimal strings are due, and checks the event inside', () => {
    expect(validateFeedEnvelope({ ...envelope, position: 7 })).toEqual([
      'envelope/position: must be string',
    ]);
    expect(validateFeedEnvelope({ ...envelope, data: { extra: 1 } })).toEqual([
      'data: must not have property "extra"',
    ]);
  });
});

describe('loadEventContract', () => {
  it('says where the schemas were expected when they are missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-schemas-'));
    try {
      expect(() => loadEventContract(empty)).toThrow(EventContractUnavailable);
      expect(() => loadEventContract(empty)).toThrow(/event-metadata\.schema\.json/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

const queue = { id: 'HQU-1234-1234', name: 'Business Onboarding' };

function metadata(overrides: Record<string, unknown> = {}) {
  const base: Record<string, unknown> = {
    schemaVersion: CASE_EVENT_SCHEMA_VERSION,
    occurredAt: '2026-11-24T10:00:00.000Z',
    actor: {
      id: 'USR-1000-0001',
      name: 'Olivia Ops',
      accountId: 'ACC-1000-0000',
      accountName: 'Helpdesk Operations',
      accountType: 'operations',
    },
    $correlationId: 'corr-1',
    $causationId: '3c0f5a3e-8f6e-4d55-b8a4-63a5cf1b8a10',
  };
  const merged = { ...base, ...overrides };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
}
