import {
  UnreadableCaseEvent,
  decodeCaseEvent,
  upcastStored,
} from '../../../src/cases/application/case-event.codec';
import {
  caseEventUpcasters,
  caseQueriedPromptRenamed,
  metadataKeysOfEventStore,
  personalFieldsMayBeSealed,
} from '../../../src/cases/contract/case-event.upcasters';
import { validateCaseEvent } from '../../../src/cases/contract/case-event.schemas';
import { UpcasterRegistry, type Upcaster } from '../../../src/cases/contract/upcaster.registry';
import { CASE_EVENT_SCHEMA_VERSION } from '../../../src/cases/domain/case.events';
import type { RecordedEvent } from '../../../src/event-store/event-store.port';

describe('UpcasterRegistry', () => {
  const renameTitle: Upcaster = {
    type: 'Noted',
    fromVersion: 0,
    reason: 'v0 called it title',
    upcast: (data) => ({ subject: (data as { title: string }).title }),
  };
  const addPriority: Upcaster = {
    type: 'Noted',
    fromVersion: 2,
    reason: 'v3 requires a priority',
    upcast: (data) => ({ ...(data as object), priority: 'normal' }),
  };

  it('runs every step from the stored version to the current one, in order', () => {
    const registry = new UpcasterRegistry(3, [addPriority, renameTitle]);
    expect(registry.upcast('Noted', 0, { title: 'Hi' })).toEqual({
      subject: 'Hi',
      priority: 'normal',
    });
  });

  it('starts at the stored version: a version-2 event skips the version-0 step', () => {
    const registry = new UpcasterRegistry(3, [renameTitle, addPriority]);
    expect(registry.upcast('Noted', 2, { subject: 'Hi' })).toEqual({
      subject: 'Hi',
      priority: 'normal',
    });
  });

  it('leaves a type with no upcaster for a step unchanged through that step', () => {
    const registry = new UpcasterRegistry(3, [renameTitle]);
    expect(registry.upcast('Other', 0, { title: 'Hi' })).toEqual({ title: 'Hi' });
  });

  it('leaves current and newer data as it is', () => {
    const registry = new UpcasterRegistry(1, [renameTitle]);
    expect(registry.upcast('Noted', 1, { title: 'Hi' })).toEqual({ title: 'Hi' });
    expect(registry.upcast('Noted', 5, { title: 'Hi' })).toEqual({ title: 'Hi' });
  });

  it('refuses a second upcaster for the same type and version', () => {
    const registry = new UpcasterRegistry(3, [renameTitle]);
    expect(() => registry.register({ ...renameTitle })).toThrow(
      /already has an upcaster from schemaVersion 0/,
    );
    expect(registry.list()).toEqual([renameTitle]);
  });

  it('refuses an upcaster that could never run', () => {
    const registry = new UpcasterRegistry(1);
    expect(() => registry.register({ ...renameTitle, fromVersion: 1 })).toThrow(RangeError);
    expect(() => registry.register({ ...renameTitle, fromVersion: -1 })).toThrow(RangeError);
    expect(() => registry.register({ ...renameTitle, fromVersion: 0.5 })).toThrow(RangeError);
    expect(registry.list()).toEqual([]);
  });
});

describe('the case event upcasters', () => {
  it('registers the CaseQueried prompt rename, the EventStoreDB metadata keys, then sealing', () => {
    expect(caseEventUpcasters.currentVersion).toBe(CASE_EVENT_SCHEMA_VERSION);
    expect(CASE_EVENT_SCHEMA_VERSION).toBe(3);
    expect(caseEventUpcasters.list()).toEqual([
      caseQueriedPromptRenamed,
      metadataKeysOfEventStore,
      personalFieldsMayBeSealed,
    ]);
    expect(personalFieldsMayBeSealed).toMatchObject({ target: 'metadata', fromVersion: 2 });
    expect(personalFieldsMayBeSealed.reason).toMatch(/sealed/);
  });

  it('reads a v0 CaseQueried {prompt} as the current {queryPrompt} with current metadata, valid against the schema', () => {
    const upcast = upcastStored(legacyQueried({ prompt: 'Which plan?' }));
    expect(upcast.data).toEqual({ queryPrompt: 'Which plan?' });
    expect(upcast.metadata).toEqual(currentMetadataOf(legacyMetadata));
    expect(validateCaseEvent('CaseQueried', upcast.data, upcast.metadata)).toEqual([]);
  });

  it('reads v1 metadata (as the service wrote it until v2) with EventStoreDB’s keys, in place', () => {
    const v1 = {
      ...legacyMetadata,
      schemaVersion: 1,
      idempotencyKey: 'k-1',
      requestHash: 'h-1',
    };
    const upcast = upcastStored({ ...legacyQueried({ queryPrompt: 'Now?' }), metadata: v1 });
    expect(upcast.data).toEqual({ queryPrompt: 'Now?' });
    expect(JSON.stringify(upcast.metadata)).toBe(
      JSON.stringify({
        schemaVersion: CASE_EVENT_SCHEMA_VERSION,
        occurredAt: legacyMetadata.occurredAt,
        actor: legacyMetadata.actor,
        $correlationId: 'legacy-import',
        $causationId: 'legacy-import-1',
        idempotencyKey: 'k-1',
        requestHash: 'h-1',
      }),
    );
    expect(validateCaseEvent('CaseQueried', upcast.data, upcast.metadata)).toEqual([]);
  });

  it('reads a v1 event of any type with the new keys and its data unchanged', () => {
    const v1 = { ...legacyMetadata, schemaVersion: 1 };
    const resumed = { ...legacyQueried({}), type: 'CaseResumed', metadata: v1 };
    const upcast = upcastStored(resumed);
    expect(upcast.data).toEqual({});
    expect(upcast.metadata).toEqual(currentMetadataOf(legacyMetadata));
  });

  it('reads v2 metadata (plaintext, before sealing) as v3 with nothing else changed, in place', () => {
    const v2 = { ...currentMetadataOf(legacyMetadata), schemaVersion: 2 };
    const stored = { ...legacyQueried({ queryPrompt: 'pii:1:typed-by-a-person' }), metadata: v2 };
    const upcast = upcastStored(stored);
    expect(upcast.data).toBe(stored.data);
    expect(JSON.stringify(upcast.metadata)).toBe(
      JSON.stringify({ ...v2, schemaVersion: CASE_EVENT_SCHEMA_VERSION }),
    );
    expect(stored.metadata.schemaVersion).toBe(2);
    expect(validateCaseEvent('CaseQueried', upcast.data, upcast.metadata)).toEqual([]);
  });

  it('reads a v0 query without a prompt as a null queryPrompt', () => {
    expect(upcastStored(legacyQueried({})).data).toEqual({ queryPrompt: null });
  });

  it('reads an event written before versioning (no schemaVersion) as version 0', () => {
    const { schemaVersion: _omitted, ...unversioned } = legacyMetadata;
    const upcast = upcastStored({
      ...legacyQueried({ prompt: 'Old?' }),
      metadata: unversioned,
    });
    expect(upcast.data).toEqual({ queryPrompt: 'Old?' });
    const { schemaVersion: _stamped, ...rest } = currentMetadataOf(legacyMetadata);
    expect(upcast.metadata).toEqual({ ...rest, schemaVersion: CASE_EVENT_SCHEMA_VERSION });
  });

  it('hands the domain the current shape through the codec', () => {
    const entry = decodeCaseEvent(legacyQueried({ prompt: 'Which plan?' }));
    expect(entry.event).toEqual({ type: 'CaseQueried', data: { queryPrompt: 'Which plan?' } });
    expect(entry.metadata.schemaVersion).toBe(CASE_EVENT_SCHEMA_VERSION);
    expect(entry.metadata.$correlationId).toBe('legacy-import');
    expect(entry.metadata.$causationId).toBe('legacy-import-1');
    expect(entry.revision).toBe(2);
  });

  it('returns a current event untouched, and does not change the stored one', () => {
    const current = {
      ...legacyQueried({ queryPrompt: 'Now?' }),
      metadata: currentMetadataOf(legacyMetadata),
    };
    expect(upcastStored(current)).toBe(current);
    const stored = legacyQueried({ prompt: 'Which plan?' });
    upcastStored(stored);
    expect(stored.data).toEqual({ prompt: 'Which plan?' });
    expect(stored.metadata).toEqual(legacyMetadata);
  });

  it('refuses a stored event whose version or metadata is unreadable', () => {
    const registry = new UpcasterRegistry(1);
    const event = legacyQueried({ prompt: 'x' });
    expect(() => upcastStored({ ...event, metadata: { schemaVersion: '0' } }, registry)).toThrow(
      UnreadableCaseEvent,
    );
    expect(() => upcastStored({ ...event, metadata: null }, registry)).toThrow(UnreadableCaseEvent);
  });
});

/** Versions 0 and 1 of the metadata had the same members; version 2 renamed the ids. */
const legacyMetadata = {
  schemaVersion: 0,
  occurredAt: '2025-03-01T09:00:00.000Z',
  actor: {
    id: 'USR-1000-0001',
    name: 'Olivia Ops',
    accountId: 'ACC-1000-0000',
    accountName: 'Helpdesk Operations',
    accountType: 'operations',
  },
  correlationId: 'legacy-import',
  causationId: 'legacy-import-1',
};

function currentMetadataOf({ correlationId, causationId, ...rest }: typeof legacyMetadata) {
  return {
    ...rest,
    schemaVersion: CASE_EVENT_SCHEMA_VERSION,
    $correlationId: correlationId,
    $causationId: causationId,
  };
}

function legacyQueried(data: Record<string, unknown>): RecordedEvent {
  return {
    id: '6f1c2f1e-7a0b-4a55-9d53-2b0c7e1d9a01',
    type: 'CaseQueried',
    data,
    metadata: legacyMetadata,
    streamId: 'case-CAS-1234-5678-9012',
    revision: 1n,
    position: 42n,
    created: new Date('2025-03-01T09:00:00.000Z'),
  };
}
