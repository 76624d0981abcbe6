import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/test-app';
import { ASSIGNEE, OTHER_QUEUE, clientCaseBody } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';

describe(onStore('Idempotency-Key over HTTP'), () => {
  let dataDir: string;
  let t: TestApp;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'case-idem-'));
    t = await startTestApp({ dataDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const key = (name: string) => ({ headers: { 'Idempotency-Key': `${name}-${Math.random()}` } });
  const types = async (id: string) => (await t.streamEvents(id)).map((e) => e.type);

  it('a retried create answers 201 with the same case and appends nothing more', async () => {
    const options = key('create');
    const first = await t.http.post('/cases', clientCaseBody(), options);
    const retry = await t.http.post('/cases', clientCaseBody(), options);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(await types(first.body.id)).toEqual(['CaseCreated']);
  });

  it('a retried command answers with the case as of the revision it produced, even after later changes', async () => {
    const id = (await t.http.post('/cases', clientCaseBody())).body.id;
    const options = key('transfer');
    const first = await t.http.put(
      `/cases/${id}`,
      { queue: OTHER_QUEUE, assignee: ASSIGNEE },
      options,
    );
    await t.http.post(`/cases/${id}/query`, {});
    const retry = await t.http.put(
      `/cases/${id}`,
      { assignee: ASSIGNEE, queue: OTHER_QUEUE },
      options,
    );
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('etag')).toBe('W/"3"');
    expect(await types(id)).toEqual([
      'CaseCreated',
      'CaseTransferred',
      'CaseAssigned',
      'CaseQueried',
    ]);
  });

  it('the same key with another body is a 422 and appends nothing', async () => {
    const options = key('reuse');
    const created = await t.http.post('/cases', clientCaseBody(), options);
    const reused = await t.http.post('/cases', clientCaseBody({ assignee: ASSIGNEE }), options);
    expect(reused.status).toBe(422);
    expect(reused.body.detail).toMatch(/different request/);
    expect(await types(created.body.id)).toEqual(['CaseCreated']);

    const id = created.body.id;
    const commandKey = key('command');
    await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE }, commandKey);
    const other = await t.http.post(`/cases/${id}/assign`, { assignee: ASSIGNEE }, commandKey);
    expect(other.status).toBe(422);
    expect(await types(id)).toEqual(['CaseCreated', 'CaseTransferred']);
  });

  it("keys are the caller's own: another caller with the same key gets its own case", async () => {
    const options = { headers: { 'Idempotency-Key': `shared-${Math.random()}` } };
    const mine = await t.http.post('/cases', clientCaseBody(), options);
    const theirs = await t.http.post('/cases', clientCaseBody(), { ...options, as: 'client' });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('holds across a restart of the service', async () => {
    const createKey = key('restart-create');
    const commandKey = key('restart-command');
    const created = await t.http.post('/cases', clientCaseBody(), createKey);
    const id = created.body.id;
    const completed = await t.http.post(`/cases/${id}/complete`, undefined, commandKey);

    await t.close({ keepData: true });
    t = await startTestApp({ dataDir });

    const createRetry = await t.http.post('/cases', clientCaseBody(), createKey);
    expect(createRetry.status).toBe(201);
    expect(createRetry.body.id).toBe(id);
    expect(createRetry.body.revision).toBe(1);
    const commandRetry = await t.http.post(`/cases/${id}/complete`, undefined, commandKey);
    expect(commandRetry.status).toBe(200);
    expect(commandRetry.body).toEqual(completed.body);
    expect(await types(id)).toEqual(['CaseCreated', 'CaseCompleted']);
  });
});
