import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SseConnection } from '../feed/sse-client';
import { TextCapture } from '../cli/support/audit-store.fixtures';
import { clientCaseBody } from '../support/case.fixtures';
import { CaseEventStream } from '../../src/cases/application/case-event-stream';
import { validateFeedEnvelope } from '../../src/cases/contract/case-event.schemas';
import { CASE_EVENT_SCHEMA_VERSION } from '../../src/cases/domain/case.events';
import { runExport } from '../../src/cli/export.command';
import { runVerify } from '../../src/cli/verify.command';
import { BASE_PATH as BASE } from '../../src/common/api-base-path';
import type { EventStore, EventToAppend } from '../../src/event-store/event-store.port';
import { openSqliteEventStore } from '../../src/event-store/sqlite/sqlite.event-store';
import { E2E_STORE, onStore } from './support/e2e-store';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * One case exactly as the service stored it at metadata schemaVersion 1 (captured from a real
 * run, see the fixture's `capturedFrom`), read by today's service: the store keeps the old
 * keys, every reader sees `$correlationId`/`$causationId`.
 */
interface V1Event extends EventToAppend {
  readonly metadata: {
    schemaVersion: number;
    correlationId: string;
    causationId: string;
    idempotencyKey?: string;
  };
}
const FIXTURE = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'schema-v1.case-events.json'), 'utf8'),
) as { events: V1Event[] };
const V1_EVENTS = FIXTURE.events;
const CASE_ID = (V1_EVENTS[0].data as { caseId: string }).caseId;
const CORRELATION_IDS = V1_EVENTS.map((e) => e.metadata.correlationId);

const appendV1Case = (store: EventStore) =>
  store.appendToStream(`case-${CASE_ID}`, V1_EVENTS, { expectedRevision: 'no_stream' });

describe(onStore('a store written at metadata schemaVersion 1'), () => {
  let t: TestApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'case-v1-store-'));
    if (E2E_STORE === 'sqlite') {
      // The store exists before the service starts, as after an upgrade.
      const old = await openSqliteEventStore({ dataDir });
      await appendV1Case(old);
      await old.close();
      t = await startTestApp({ dataDir });
    } else {
      t = await startTestApp({ dataDir });
      await appendV1Case(t.store);
    }
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is a real v1 store: the fixture holds the old keys, and the store keeps them', async () => {
    expect(V1_EVENTS.map((e) => e.metadata.schemaVersion)).toEqual(V1_EVENTS.map(() => 1));
    const stored = await t.streamEvents(CASE_ID);
    expect(stored.map((e) => e.metadata)).toEqual(V1_EVENTS.map((e) => e.metadata));
    expect(stored[0].metadata).not.toHaveProperty('$correlationId');
  });

  it('reads the case as it was', async () => {
    const response = await t.http.get(`/cases/${CASE_ID}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: CASE_ID, revision: 6, status: 'Completed' });
  });

  it('shows every correlation id in the audit trail', async () => {
    const response = await t.http.get(`/cases/${CASE_ID}/audit`);
    expect(response.status).toBe(200);
    const records = response.body.data as Array<{ request: { log: { correlationId: string } } }>;
    expect(records.map((r) => r.request.log.correlationId)).toEqual(CORRELATION_IDS);
  });

  it('delivers EventStoreDB keys on the feed, valid against the contract', async () => {
    const feed = await SseConnection.open(`${t.baseUrl}${BASE}/case-events`, {
      token: t.tokens.operations,
    });
    try {
      await feed.waitForEvents(V1_EVENTS.length);
      const envelopes = feed.envelopes() as Array<{ metadata: Record<string, unknown> }>;
      expect(envelopes).toHaveLength(V1_EVENTS.length);
      envelopes.forEach((envelope, i) => {
        const { correlationId, causationId, ...rest } = V1_EVENTS[i].metadata;
        expect(envelope.metadata).toEqual({
          ...rest,
          schemaVersion: CASE_EVENT_SCHEMA_VERSION,
          $correlationId: correlationId,
          $causationId: causationId,
        });
        expect(validateFeedEnvelope(envelope)).toEqual([]);
      });
    } finally {
      feed.close();
    }
  });

  it('replays the original create for its Idempotency-Key, appending nothing', async () => {
    const create = V1_EVENTS[0].metadata;
    const replay = await t.http.post('/cases', clientCaseBody(), {
      as: 'client',
      headers: { 'Idempotency-Key': create.idempotencyKey!, 'X-Correlation-Id': 'v2-replay' },
    });
    expect(replay.status).toBe(201);
    // The answer the create gave at the time: its revision, not today's.
    expect(replay.body).toMatchObject({ id: CASE_ID, revision: 1, status: 'Processing' });
    expect(await t.streamEvents(CASE_ID)).toHaveLength(V1_EVENTS.length);
  });

  it('verifies green', async () => {
    const out = new TextCapture();
    const err = new TextCapture();
    const result = await runVerify(t.app.get(CaseEventStream), { json: true }, out, err);
    expect(result).toMatchObject({ events: V1_EVENTS.length, anomalies: 0 });
    expect(out.text).not.toContain('"problem"');
  });

  it('exports upcast events, and the stored ones with --raw', async () => {
    const exportLines = async (raw: boolean) => {
      const out = new TextCapture();
      await runExport(t.app.get(CaseEventStream), { format: 'jsonl', raw }, out, new TextCapture());
      return out.lines().map((line) => JSON.parse(line) as { metadata: object });
    };
    const upcast = await exportLines(false);
    expect(upcast).toHaveLength(V1_EVENTS.length);
    upcast.forEach(({ metadata }, i) => {
      expect(Object.keys(metadata)).toEqual(
        Object.keys(V1_EVENTS[i].metadata).map((key) =>
          key === 'correlationId' || key === 'causationId' ? `$${key}` : key,
        ),
      );
      expect(metadata).toMatchObject({
        schemaVersion: CASE_EVENT_SCHEMA_VERSION,
        $correlationId: CORRELATION_IDS[i],
      });
    });
    const raw = await exportLines(true);
    expect(raw.map((e) => e.metadata)).toEqual(V1_EVENTS.map((e) => e.metadata));
  });
});
