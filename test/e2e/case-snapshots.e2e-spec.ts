import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCaseEventStream } from '../../src/cases/application/case-event-stream.factory';
import { CaseEventStream } from '../../src/cases/application/case-event-stream';
import { PersonalDataVault } from '../../src/personal-data/personal-data.vault';
import { runExport } from '../../src/cli/export.command';
import { runVerify } from '../../src/cli/verify.command';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { SseConnection } from '../feed/sse-client';
import { TextCapture } from '../cli/support/audit-store.fixtures';
import { OTHER_QUEUE, QUEUE, clientCaseBody } from '../support/case.fixtures';
import { BASE_PATH as BASE } from '../../src/common/api-base-path';
import { onStore } from './support/e2e-store';
import { projectionCaughtUp } from './support/projection';
import { startTestApp, type TestApp } from './support/test-app';
import { appendRaw } from '../cases/application/case-stream.fixtures';

const EVERY = 5;

/**
 * Snapshots through the real service (CASE_SNAPSHOT_EVERY=5): a restarted service, whose first
 * load of a case starts from its snapshot, answers exactly as before, idempotent retries
 * included; and nothing that follows case events (the feed, the read models, export, verify)
 * ever sees a snapshot.
 */
describe(onStore('snapshots of long cases'), () => {
  let dataDir: string;
  let t: TestApp;
  let id: string;
  const retried = { headers: { 'Idempotency-Key': `transfer-${Math.random()}` } };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'case-snapshots-e2e-'));
    t = await startTestApp({ dataDir, env: { CASE_SNAPSHOT_EVERY: String(EVERY) } });
    id = (await t.http.post('/cases', clientCaseBody())).body.id;
    for (let i = 1; i < 2 * EVERY + 2; i++) {
      const queue = i % 2 === 1 ? OTHER_QUEUE : QUEUE;
      const options = i === 3 ? retried : undefined;
      const answer = await t.http.post(`/cases/${id}/transfer`, { queue }, options);
      expect(answer.status).toBe(200);
    }
    await t.http.post(`/cases/${id}/query`, { queryPrompt: 'Which plan?' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const caseEvents = async (): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    for await (const event of t.store.readAll({ streamPrefix: 'case-' })) events.push(event);
    return events;
  };
  const snapshot = () => t.store.snapshots()!.readSnapshot(`case-${id}`);

  it('snapshots the case every CASE_SNAPSHOT_EVERY events, beside its stream', async () => {
    await t.app.get(CaseEventStream).snapshotsWritten();

    expect(await snapshot()).toMatchObject({ revision: BigInt(2 * EVERY - 1) });
    expect(await t.streamEvents(id)).toHaveLength(2 * EVERY + 3);
  });

  it('answers a restarted service from the snapshot exactly as before, retries included', async () => {
    const before = {
      operations: await t.http.get(`/cases/${id}`),
      client: await t.http.get(`/cases/${id}`, { as: 'client' }),
      atRevision: await t.http.get(`/cases/${id}?revision=${2 * EVERY + 1}`),
    };
    await t.close({ keepData: true });
    t = await startTestApp({ dataDir, env: { CASE_SNAPSHOT_EVERY: String(EVERY) } });

    const after = await t.http.get(`/cases/${id}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.operations.body);
    expect(after.headers.get('etag')).toBe(`W/"${2 * EVERY + 3}"`);
    expect((await t.http.get(`/cases/${id}`, { as: 'client' })).body).toEqual(before.client.body);
    expect((await t.http.get(`/cases/${id}?revision=${2 * EVERY + 1}`)).body).toEqual(
      before.atRevision.body,
    );
    const retry = await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE }, retried);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('etag')).toBe('W/"4"');
    expect(await t.streamEvents(id)).toHaveLength(2 * EVERY + 3);
  });

  it('is never seen by the feed, the read models, export or verify', async () => {
    const stored = await caseEvents();
    expect(stored.every((event) => event.streamId.startsWith('case-'))).toBe(true);
    expect(await snapshot()).toBeDefined();

    const feed = await SseConnection.open(`${t.baseUrl}${BASE}/case-events`, {
      token: t.tokens.operations,
    });
    try {
      await feed.waitForEvents(stored.length);
      expect(feed.events.map((e) => e.id)).toEqual(stored.map((e) => e.position.toString()));
    } finally {
      feed.close();
    }

    await projectionCaughtUp(t);
    const list = await t.http.get('/cases');
    expect(list.body.$meta.pagination.total).toBe(1);
    expect(list.body.data).toEqual([(await t.http.get(`/cases/${id}`)).body]);

    // As the audit tool builds it: no snapshots, the service's keys to open sealed fields.
    const auditStream = () =>
      createCaseEventStream(t.store, { vault: t.app.get(PersonalDataVault) });
    const out = new TextCapture();
    const exported = await runExport(auditStream(), { format: 'jsonl' }, out, new TextCapture());
    expect(exported.events).toBe(stored.length);
    expect(out.lines().map((line) => JSON.parse(line).streamId)).toEqual(
      stored.map((e) => e.streamId),
    );
    const verified = await runVerify(
      auditStream(),
      { json: true },
      new TextCapture(),
      new TextCapture(),
    );
    expect(verified).toMatchObject({ events: stored.length, streams: 1, anomalies: 0 });
  });
});

describe(onStore('snapshots turned off (CASE_SNAPSHOT_EVERY=0)'), () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CASE_SNAPSHOT_EVERY: '0' } });
  });
  afterAll(() => t.close());

  it('writes none, however many events a load reads', async () => {
    const id = 'CAS-7000-0000-0601';
    await appendRaw(t.store, id, 0, 601);

    const answer = await t.http.get(`/cases/${id}`);
    await t.app.get(CaseEventStream).snapshotsWritten();

    expect(answer.headers.get('etag')).toBe('W/"601"');
    expect(await t.store.snapshots()!.readSnapshot(`case-${id}`)).toBeUndefined();
  });
});
