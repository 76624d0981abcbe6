import { currentSerialized, upcastStored } from '../../src/cases/application/case-event.codec';
import { CASE_EVENT_SCHEMA_VERSION } from '../../src/cases/domain/case.events';
import type { SerializedEvent } from '../../src/event-store/event-store.port';

/**
 * `export` copies stored text where it can: when the metadata is current, and when upcasting
 * would change only the version number (version 2 to 3). Either way it must write byte for
 * byte what parsing, upcasting and stringifying would.
 */
describe('the stored text export writes (currentSerialized)', () => {
  it.each([
    [
      'v2, version first',
      '{"schemaVersion":2,"occurredAt":"2026-01-01T00:00:00.000Z","$correlationId":"c"}',
    ],
    [
      'v2, version last',
      '{"occurredAt":"2026-01-01T00:00:00.000Z","$correlationId":"c","schemaVersion":2}',
    ],
    ['v2, version alone', '{"schemaVersion":2}'],
    [
      'v1, keys renamed',
      '{"schemaVersion":1,"occurredAt":"x","correlationId":"c","causationId":"d"}',
    ],
    ['v2 nested, not top level', '{"actor":{"schemaVersion":2},"occurredAt":"x"}'],
    [
      'newer than this build',
      `{"schemaVersion":${CASE_EVENT_SCHEMA_VERSION + 1},"occurredAt":"x"}`,
    ],
    ['current', `{"schemaVersion":${CASE_EVENT_SCHEMA_VERSION},"occurredAt":"x"}`],
  ])('%s: as the parsed path writes it', (_, metadata) => {
    const stored = storedQuery(metadata);
    expect(currentSerialized(stored)).toEqual(parsedPath(stored));
  });

  it('renumbers a v2 event without parsing it: its data text is copied as stored', () => {
    // Spacing no stringify writes: it survives only if the text was copied, not parsed.
    const stored = {
      ...storedQuery('{"schemaVersion":2,"occurredAt":"x"}'),
      data: '{ "queryPrompt": "Why?" }',
    };
    const current = currentSerialized(stored);
    expect(current.data).toBe(stored.data);
    expect(current.metadata).toBe(
      `{"schemaVersion":${CASE_EVENT_SCHEMA_VERSION},"occurredAt":"x"}`,
    );
  });

  it('still upcasts the data of a version whose data changed (v0 CaseQueried)', () => {
    const stored = {
      ...storedQuery('{"schemaVersion":0,"occurredAt":"x"}'),
      data: '{"prompt":"Why?"}',
    };
    expect(JSON.parse(currentSerialized(stored).data)).toEqual({ queryPrompt: 'Why?' });
  });
});

function storedQuery(metadata: string): SerializedEvent {
  return {
    id: '6f1c2f1e-7a0b-4a55-9d53-2b0c7e1d9a01',
    type: 'CaseQueried',
    streamId: 'case-CAS-1234-5678-9012',
    revision: 1n,
    position: 42n,
    created: new Date('2026-01-01T00:00:00.000Z'),
    data: '{"queryPrompt":"pii:1:typed, \\"quoted\\""}',
    metadata,
  };
}

function parsedPath(stored: SerializedEvent): SerializedEvent {
  const { data, metadata } = upcastStored({
    ...stored,
    data: JSON.parse(stored.data) as unknown,
    metadata: JSON.parse(stored.metadata) as unknown,
  });
  return { ...stored, data: JSON.stringify(data), metadata: JSON.stringify(metadata) };
}
