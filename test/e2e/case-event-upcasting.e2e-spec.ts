import { randomUUID } from 'node:crypto';
import { SseConnection } from '../feed/sse-client';
import { TextCapture } from '../cli/support/audit-store.fixtures';
import { clientCaseBody } from '../support/case.fixtures';
import { CaseEventStream } from '../../src/cases/application/case-event-stream';
import { CASE_EVENT_SCHEMA_VERSION } from '../../src/cases/domain/case.events';
import { runExport } from '../../src/cli/export.command';
import { runVerify } from '../../src/cli/verify.command';
import { BASE_PATH as BASE } from '../../src/common/api-base-path';
import { CALLERS, startTestApp, type TestApp } from './support/test-app';

/**
 * An event stored in the schemaVersion 0 shape, as an older writer left it, read back through
 * the API: the case, its audit trail and the feed all show the current shape.
 */
describe('a CaseQueried stored as schemaVersion 0 ({prompt})', () => {
  let t: TestApp;
  let caseId: string;
  let legacyPosition: bigint;

  beforeAll(async () => {
    t = await startTestApp();
    const created = await t.http.post('/cases', clientCaseBody());
    caseId = created.body.id;
    legacyPosition = await appendStoredQuery(
      t,
      caseId,
      { prompt: 'Which plan are you on?' },
      {
        schemaVersion: 0,
        correlationId: 'legacy-import',
        causationId: randomUUID(),
      },
    );
  });
  afterAll(() => t.close());

  it('stays in its old shape in the store', async () => {
    const [, stored] = await t.streamEvents(caseId);
    expect(stored.data).toEqual({ prompt: 'Which plan are you on?' });
    expect(stored.metadata).toMatchObject({ schemaVersion: 0 });
  });

  it('reads as the current shape through GET /cases/{id}', async () => {
    const response = await t.http.get(`/cases/${caseId}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      revision: 2,
      status: 'Querying',
      queryPrompt: 'Which plan are you on?',
    });
  });

  it('reads as the current shape in the audit trail', async () => {
    const response = await t.http.get(`/cases/${caseId}/audit`);
    expect(response.status).toBe(200);
    expect(response.body.data.at(-1)).toMatchObject({
      event: 'CaseQueried',
      details: { queryPrompt: 'Which plan are you on?' },
      request: { log: { correlationId: 'legacy-import' } },
    });
  });

  it('reads as the current shape on the feed, and the case accepts commands on top of it', async () => {
    const feed = await SseConnection.open(
      `${t.baseUrl}${BASE}/case-events?after=${legacyPosition - 1n}`,
      { token: t.tokens.operations },
    );
    try {
      await feed.waitForEvents(1);
      expect(feed.envelopes()[0]).toMatchObject({
        type: 'CaseQueried',
        position: legacyPosition.toString(),
        data: { queryPrompt: 'Which plan are you on?' },
        metadata: { schemaVersion: CASE_EVENT_SCHEMA_VERSION, $correlationId: 'legacy-import' },
      });
      expect(feed.envelopes()[0].data).not.toHaveProperty('prompt');
      expect(feed.envelopes()[0].metadata).not.toHaveProperty('correlationId');

      const processed = await t.http.post(`/cases/${caseId}/process`);
      expect(processed.status).toBe(200);
      await feed.waitForEvents(2);
      expect(feed.events[1].event).toBe('CaseResumed');
    } finally {
      feed.close();
    }
  });
});

/**
 * Sealing began at schemaVersion 3; a query stored at version 2 is plaintext, even when the
 * prompt someone typed looks exactly like an envelope. It reads as typed, beside the sealed
 * events of the same case, and is not damage.
 */
describe('a CaseQueried stored as schemaVersion 2 whose prompt looks like an envelope', () => {
  const LOOKS_SEALED =
    'pii:1:AAAAAAAAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBB:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCC';
  let t: TestApp;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const created = await t.http.post('/cases', clientCaseBody());
    caseId = created.body.id;
    await appendStoredQuery(
      t,
      caseId,
      { queryPrompt: LOOKS_SEALED },
      {
        schemaVersion: 2,
        $correlationId: 'before-sealing',
        $causationId: randomUUID(),
      },
    );
  });
  afterAll(() => t.close());

  it('reads as typed through GET /cases/{id} and the audit trail', async () => {
    const response = await t.http.get(`/cases/${caseId}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ revision: 2, queryPrompt: LOOKS_SEALED });
    const audit = await t.http.get(`/cases/${caseId}/audit`);
    expect(audit.status).toBe(200);
    expect(audit.body.data.at(-1)).toMatchObject({
      event: 'CaseQueried',
      details: { queryPrompt: LOOKS_SEALED },
    });
  });

  it('is no anomaly for verify, and exports as typed', async () => {
    const stream = t.app.get(CaseEventStream);
    const out = new TextCapture();
    const result = await runVerify(stream, { json: true, caseId }, out, new TextCapture());
    expect(result).toMatchObject({ events: 2, anomalies: 0 });
    const exported = new TextCapture();
    await runExport(stream, { format: 'jsonl' }, exported, new TextCapture());
    const [, queried] = exported
      .lines()
      .map((line) => JSON.parse(line) as { caseId: string; data: unknown; metadata: object })
      .filter((event) => event.caseId === caseId);
    expect(queried).toMatchObject({
      data: { queryPrompt: LOOKS_SEALED },
      metadata: { schemaVersion: CASE_EVENT_SCHEMA_VERSION },
    });
  });
});

/**
 * Appends a CaseQueried after the case's first event, as an older writer stored it. The last
 * argument holds the metadata members that differ between versions: `schemaVersion` (written
 * first) and the request ids (written last).
 */
async function appendStoredQuery(
  t: TestApp,
  caseId: string,
  data: Record<string, unknown>,
  { schemaVersion, ...ids }: { schemaVersion: number } & Record<string, unknown>,
): Promise<bigint> {
  const ops = CALLERS.operations;
  const { position } = await t.store.appendToStream(
    `case-${caseId}`,
    [
      {
        id: randomUUID(),
        type: 'CaseQueried',
        data,
        metadata: {
          schemaVersion,
          occurredAt: '2025-03-01T09:00:00.000Z',
          actor: {
            id: ops.id,
            name: ops.name,
            accountId: ops.accountId,
            accountName: ops.accountName,
            accountType: ops.accountType,
          },
          ...ids,
        },
      },
    ],
    { expectedRevision: 0n },
  );
  return position;
}
