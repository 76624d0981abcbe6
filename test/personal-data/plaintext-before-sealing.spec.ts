import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseEventPrivacy } from '../../src/cases/application/case-event.privacy';
import { CaseEventStream } from '../../src/cases/application/case-event-stream';
import { CASE_EVENT_SCHEMA_VERSION } from '../../src/cases/domain/case.events';
import type { CaseHistoryEntry } from '../../src/cases/domain/case.history';
import { CaseStreamVerifier } from '../../src/cli/case-stream.verifier';
import { DEV_PRINCIPALS } from '../../src/identity/dev-tokens';
import { InMemoryEventStore } from '../../src/event-store/memory/in-memory.event-store';
import { parseEnvelope } from '../../src/personal-data/field-envelope';
import { PersonalDataVault } from '../../src/personal-data/personal-data.vault';
import { openKeyStore } from '../../src/personal-data/sqlite.key-store';

/**
 * Envelopes are opened only in events stored at schemaVersion 3 or later: before that nothing
 * was sealed, so a value someone typed that happens to look like an envelope is their text.
 */
describe('plaintext events stored before sealing (schemaVersion 2)', () => {
  let dir: string;
  let store: InMemoryEventStore;
  let vault: PersonalDataVault;
  let stream: CaseEventStream;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pii-v2-'));
    store = new InMemoryEventStore();
    vault = await PersonalDataVault.open(openKeyStore(dir), randomBytes(32));
    stream = new CaseEventStream(store, undefined, undefined, new CaseEventPrivacy(vault));
    // Given a case the service wrote at version 2, whose typed text looks like an envelope
    await store.appendToStream(
      `case-${CASE}`,
      [stored(createdData(), 'CaseCreated'), stored(parametersData(), 'CaseParametersChanged')],
      { expectedRevision: 'no_stream' },
    );
  });
  afterEach(async () => {
    await vault.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('typed text that is a well-formed envelope string (the premise of these specs)', () => {
    expect(parseEnvelope(LOOKS_SEALED)).toBeDefined();
  });

  it('reads as stored through load, history, events, readAll and follow', async () => {
    const fold = await stream.load(CASE);
    expect(fold.revision).toBe(2);
    const reads = [
      await stream.history(CASE),
      await collect(stream.events(CASE)),
      await collect(stream.readAll()),
      await firstOf(stream, 2),
    ];
    for (const records of reads) {
      expect(records.map((r) => r.event.data)).toEqual([createdData(), parametersData()]);
      expect(records.map((r) => r.metadata)).toEqual([currentMetadata(), currentMetadata()]);
    }
  });

  it('reads as stored on the serialized path, and verify finds nothing wrong', async () => {
    for (const pages of [
      await collect(stream.readAllSerialized()),
      await collect(stream.serializedEvents(CASE)),
    ]) {
      const events = pages.flat();
      expect(events.map((e) => JSON.parse(e.data) as unknown)).toEqual([
        createdData(),
        parametersData(),
      ]);
      expect(events.every((e) => e.unreadableFields === undefined)).toBe(true);
      const verifier = new CaseStreamVerifier();
      expect(events.flatMap((e) => verifier.inspect(e))).toEqual([]);
    }
  });

  describe('and a value that looks like an envelope appended now', () => {
    beforeEach(async () => {
      // When the same text is appended through the stream, at the current version
      const fold = await stream.load(CASE);
      await stream.append(fold, [parametersChangedNow()]);
    });

    it('is stored sealed, in an event of the current version', async () => {
      const [, , appended] = await collect(store.readStream(`case-${CASE}`));
      expect(appended!.metadata).toMatchObject({ schemaVersion: CASE_EVENT_SCHEMA_VERSION });
      const value = (appended!.data as ParametersData).parameters[0]!.value as string;
      expect(value).not.toBe(LOOKS_SEALED);
      expect(parseEnvelope(value)).toBeDefined();
    });

    it('opens to the text that was appended, beside the old plaintext', async () => {
      const records = await stream.history(CASE);
      expect(records.map((r) => r.event.data)).toEqual([
        createdData(),
        parametersData(),
        parametersData(),
      ]);
      const events = (await collect(stream.readAllSerialized())).flat();
      expect(events.map((e) => JSON.parse(e.data) as unknown)).toEqual([
        createdData(),
        parametersData(),
        parametersData(),
      ]);
      const verifier = new CaseStreamVerifier();
      expect(events.flatMap((e) => verifier.inspect(e))).toEqual([]);
    });
  });
});

const CASE = 'CAS-1000-0000-0007';
/** Shaped exactly like `pii:1:<keyId>:<nonce>:<ciphertext+tag>`, but typed by a person. */
const LOOKS_SEALED = 'pii:1:AAAAAAAAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBB:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCC';
const { id, name, accountId, accountName, accountType } = DEV_PRINCIPALS.operations;
const ACTOR = { id, name, accountId, accountName, accountType };

type ParametersData = { parameters: { id: string; name: string; value: unknown }[] };

const createdData = () => ({
  caseId: CASE,
  chat: { id: 'CHT-1000-0000-0007', type: 'case' },
  queue: { id: 'HQU-1234-1234', name: 'Business Onboarding' },
  account: { id: 'ACC-2000-0000', name: 'Stark Industries' },
  reporter: { id: 'USR-2000-0001', name: 'Jane Doe' },
  assignee: null,
  parameters: [{ id: 'PAR-1344-4634', name: 'Contract', value: LOOKS_SEALED }],
  openingMessage: LOOKS_SEALED,
});

const parametersData = (): ParametersData => ({
  parameters: [{ id: 'PAR-1344-4634', name: 'Contract', value: LOOKS_SEALED }],
});

const v2Metadata = () => ({
  schemaVersion: 2,
  occurredAt: '2026-11-20T10:00:00.000Z',
  actor: ACTOR,
  $correlationId: 'c-1',
  $causationId: 'c-1',
});

const currentMetadata = () => ({ ...v2Metadata(), schemaVersion: CASE_EVENT_SCHEMA_VERSION });

const stored = (data: unknown, type: string) => ({
  id: randomUUID(),
  type,
  data,
  metadata: v2Metadata(),
});

function parametersChangedNow(): CaseHistoryEntry {
  return {
    eventId: randomUUID(),
    revision: 3,
    event: { type: 'CaseParametersChanged', data: parametersData() },
    metadata: currentMetadata() as CaseHistoryEntry['metadata'],
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** The first `count` events `follow` delivers (it never ends by itself). */
async function firstOf(stream: CaseEventStream, count: number) {
  const subscription = stream.follow();
  const records = [];
  for await (const record of subscription) {
    records.push(record);
    if (records.length === count) break;
  }
  await subscription.unsubscribe();
  return records;
}
