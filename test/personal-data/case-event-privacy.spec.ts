import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseEventPrivacy } from '../../src/cases/application/case-event.privacy';
import { CaseEventStream } from '../../src/cases/application/case-event-stream';
import { emptyCaseFold } from '../../src/cases/application/case.fold';
import { CASE_EVENT_SCHEMA_VERSION } from '../../src/cases/domain/case.events';
import type { CaseHistoryEntry } from '../../src/cases/domain/case.history';
import { CaseStreamVerifier } from '../../src/cli/case-stream.verifier';
import { InMemoryEventStore } from '../../src/event-store/memory/in-memory.event-store';
import { MasterKeyError } from '../../src/personal-data/master-key';
import { PersonalDataVault } from '../../src/personal-data/personal-data.vault';
import { openKeyStore } from '../../src/personal-data/sqlite.key-store';

const JANE = { id: 'USR-2000-0001', name: 'Jane Doe' };
const OLIVIA = {
  id: 'USR-1000-0001',
  name: 'Olivia Operator',
  accountId: 'ACC-1000-0000',
  accountName: 'Helpdesk Operations',
  accountType: 'operations' as const,
};
const CASE = 'CAS-1000-0000-0001';

describe('personal data in case events', () => {
  let dir: string;
  let store: InMemoryEventStore;
  let vault: PersonalDataVault;
  let stream: CaseEventStream;
  const master = randomBytes(32);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pii-'));
    store = new InMemoryEventStore();
    vault = await PersonalDataVault.open(openKeyStore(dir), master);
    stream = new CaseEventStream(store, undefined, undefined, new CaseEventPrivacy(vault));
  });
  afterEach(async () => {
    await vault.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const storedText = async () => {
    const parts = [];
    for await (const e of store.readAll()) parts.push({ data: e.data, metadata: e.metadata });
    return JSON.stringify(parts);
  };

  describe('a case written through the stream', () => {
    beforeEach(async () => {
      await stream.append(emptyCaseFold(CASE), [created()]);
    });

    it('stores names and free text only as envelopes, ids in clear', async () => {
      const text = await storedText();
      for (const secret of [JANE.name, OLIVIA.name, OLIVIA.accountName, 'Please help']) {
        expect(text).not.toContain(secret);
      }
      expect(text).toContain(JANE.id);
      expect(text).toContain(OLIVIA.accountId);
      expect(text).toMatch(/"name":"pii:1:[A-Za-z0-9_-]+:/);
    });

    it('reads back in clear', async () => {
      const [record] = await stream.history(CASE);
      expect(record!.event.data).toMatchObject({ reporter: JANE, openingMessage: 'Please help' });
      expect(record!.metadata.actor).toEqual(OLIVIA);
    });

    it('reads an erased person as {id, name: "[erased]"} and their free text as "[erased]"', async () => {
      await vault.forget(JANE.id, '2026-11-26T00:00:00.000Z');
      const [record] = await stream.history(CASE);
      expect(record!.event.data).toMatchObject({
        reporter: { id: JANE.id, name: '[erased]' },
        openingMessage: '[erased]',
      });
      expect(record!.metadata.actor).toEqual(OLIVIA);
      const [page] = await pages(stream);
      expect(page![0]!.unreadableFields).toBeUndefined();
      expect(new CaseStreamVerifier().inspect(page![0]!)).toEqual([]);
    });

    it('keeps the actor account id and type when the actor is erased', async () => {
      await vault.forget(OLIVIA.id, '2026-11-26T00:00:00.000Z');
      const [record] = await stream.history(CASE);
      expect(record!.metadata.actor).toEqual({
        id: OLIVIA.id,
        name: '[erased]',
        accountId: OLIVIA.accountId,
        accountName: '[erased]',
        accountType: 'operations',
      });
    });

    it('gives a person who appears again after erasure a fresh key; old envelopes stay erased', async () => {
      await vault.forget(JANE.id, '2026-11-26T00:00:00.000Z');
      const fold = await stream.load(CASE);
      await stream.append(fold, [
        { ...queried(2), event: { type: 'CaseQueried', data: { queryPrompt: 'New words' } } },
      ]);
      const records = await stream.history(CASE);
      expect((records[0]!.event.data as { openingMessage: string }).openingMessage).toBe(
        '[erased]',
      );
      expect(records[1]!.event.data).toEqual({ queryPrompt: 'New words' });
    });
  });

  describe('an erased person carried into a new event', () => {
    it('stays erased and gets no new key', async () => {
      const ann = {
        id: 'USR-6375-2498',
        email: 'ann@example.com',
        firstName: 'Ann',
        lastName: 'Lee',
      };
      const base = created();
      await stream.append(emptyCaseFold(CASE), [
        {
          ...base,
          event: { ...base.event, data: { ...base.event.data, assignee: ann } },
        } as CaseHistoryEntry,
      ]);
      await vault.forget(ann.id, '2026-11-26T00:00:00.000Z');
      const fold = await stream.load(CASE);
      const erased = { id: ann.id, name: '[erased]' };
      await stream.append(fold, [
        {
          ...queried(2),
          event: {
            type: 'CaseAssigned',
            data: { assignee: { id: 'USR-6375-2499' }, previousAssignee: erased },
          },
        },
      ]);
      const records = await stream.history(CASE);
      expect(records[1]!.event.data).toMatchObject({ previousAssignee: erased });
      const keys = openKeyStore(dir);
      expect((await keys.currentKeys([ann.id])).size).toBe(0);
      await keys.close();
    });
  });

  describe('a damaged envelope', () => {
    it('reads as "[unreadable]" and verify reports the event, while the rest of the case reads', async () => {
      await stream.append(emptyCaseFold(CASE), [created()]);
      const [stored] = await collect(store.readStream(`case-${CASE}`));
      const data = stored!.data as { reporter: { name: string }; openingMessage: string };
      const flipped = flip(data.openingMessage);
      await store.appendToStream(
        `case-${'CAS-1000-0000-0002'}`,
        [
          {
            id: randomUUID(),
            type: 'CaseCreated',
            data: { ...data, caseId: 'CAS-1000-0000-0002', openingMessage: flipped },
            metadata: stored!.metadata,
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      const [record] = await stream.history('CAS-1000-0000-0002');
      // Copied to another event id, every envelope fails its additional data check.
      expect(record!.event.data).toMatchObject({
        reporter: { id: JANE.id, name: '[unreadable]' },
        openingMessage: '[unreadable]',
      });
      const page = (await pages(stream))[0]!;
      const anomalies = new CaseStreamVerifier().inspect(
        page.find((e) => e.streamId.endsWith('0002'))!,
      );
      expect(anomalies.map((a) => a.problem).join()).toMatch(
        /personal data does not decrypt at .*openingMessage/,
      );
    });
  });

  describe('the master key', () => {
    it('refuses to open a key store made with another master key', async () => {
      await stream.append(emptyCaseFold(CASE), [created()]);
      await vault.close();
      await expect(
        PersonalDataVault.open(openKeyStore(dir), randomBytes(32)),
      ).rejects.toBeInstanceOf(MasterKeyError);
      vault = await PersonalDataVault.open(openKeyStore(dir), master);
    });
  });

  describe('forgetting', () => {
    it('destroys the key: its wrapped bytes are gone from the key store file', async () => {
      await stream.append(emptyCaseFold(CASE), [created()]);
      const keys = openKeyStore(dir);
      const { keyId, wrapped } = (await keys.currentKeys([JANE.id])).get(JANE.id)!;
      await keys.close();
      const files = () => Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
      expect(files().includes(wrapped)).toBe(true);
      expect(await vault.forget(JANE.id, '2026-11-26T00:00:00.000Z')).toEqual([keyId]);
      expect(files().includes(wrapped)).toBe(false);
      expect(await vault.forget(JANE.id, '2026-11-26T00:00:00.000Z')).toEqual([]);
      expect((await vault.openingKeys(new Set([keyId]))).get(keyId)).toBe('erased');
      expect(await vault.erasedKeyIds(JANE.id)).toEqual([keyId]);
    });
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function pages(stream: CaseEventStream) {
  return collect(stream.readAllSerialized());
}

function flip(envelope: string): string {
  const last = envelope.at(-2) === 'A' ? 'B' : 'A';
  return `${envelope.slice(0, -2)}${last}${envelope.at(-1)}`;
}

function created(): CaseHistoryEntry {
  return {
    eventId: randomUUID(),
    revision: 1,
    event: {
      type: 'CaseCreated',
      data: {
        caseId: CASE,
        chat: { id: 'CHT-1000-0000-0001', type: 'case' },
        queue: { id: 'HQU-1234-1234', name: 'Business Onboarding' },
        account: { id: 'ACC-2000-0000', name: 'Stark Industries' },
        reporter: JANE,
        assignee: null,
        parameters: [],
        openingMessage: 'Please help',
      },
    },
    metadata: metadata(),
  };
}

function queried(revision: number): CaseHistoryEntry {
  return {
    eventId: randomUUID(),
    revision,
    event: { type: 'CaseQueried', data: { queryPrompt: 'Which?' } },
    metadata: metadata(),
  };
}

function metadata(): CaseHistoryEntry['metadata'] {
  return {
    schemaVersion: CASE_EVENT_SCHEMA_VERSION,
    occurredAt: '2026-11-24T10:00:00.000Z',
    actor: OLIVIA,
    $correlationId: 'c-1',
    $causationId: 'c-1',
  } as CaseHistoryEntry['metadata'];
}
