import { randomUUID } from 'node:crypto';
import { ASSIGNEE, OTHER_QUEUE, QUEUE, clientCaseBody } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The service keeps the folds of cases it used recently and decides commands on them without a
 * read. Here a second writer (another instance, say) appends behind its back each time: every
 * answer must still be what a fresh read would give — stale for an instant, never wrong.
 */
describe(onStore('commands on a case another writer changed behind the cache'), () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A case this instance has just written (so its fold is cached), then changed elsewhere. */
  async function changedBehindItsBack(event: { type: string; data: unknown }) {
    const id = (await t.http.post('/cases', clientCaseBody())).body.id as string;
    await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });
    const [created] = await t.streamEvents(id);
    await t.store.appendToStream(
      `case-${id}`,
      [{ id: randomUUID(), ...event, metadata: created!.metadata }],
      { expectedRevision: 1n },
    );
    return id;
  }

  it('appends after the other writer’s event, deciding on the state it made', async () => {
    const id = await changedBehindItsBack({
      type: 'CaseTransferred',
      data: { from: OTHER_QUEUE, to: QUEUE },
    });

    const assigned = await t.http.post(`/cases/${id}/assign`, { assignee: ASSIGNEE });

    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ revision: 4, queue: QUEUE, assignee: ASSIGNEE });
    expect((await t.streamEvents(id)).map((e) => e.type)).toEqual([
      'CaseCreated',
      'CaseTransferred',
      'CaseTransferred',
      'CaseAssigned',
    ]);
  });

  it('refuses a command the other writer’s event made illegal, appending nothing', async () => {
    const id = await changedBehindItsBack({ type: 'CaseCompleted', data: {} });

    const refused = await t.http.post(`/cases/${id}/transfer`, { queue: QUEUE });

    expect(refused.status).toBe(409);
    expect(await t.streamEvents(id)).toHaveLength(3);
  });

  it('answers a no-op with the case as it is now, not as it was cached', async () => {
    const id = await changedBehindItsBack({
      type: 'CaseAwaitingChanged',
      data: { awaiting: true },
    });

    const noOp = await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });

    expect(noOp.status).toBe(200);
    expect(noOp.body).toMatchObject({ revision: 3, awaiting: true });
    expect(noOp.headers.get('etag')).toBe('W/"3"');
  });

  it('takes If-Match at the revision the other writer made', async () => {
    const id = await changedBehindItsBack({
      type: 'CaseAwaitingChanged',
      data: { awaiting: true },
    });

    const put = await t.http.put(
      `/cases/${id}`,
      { awaiting: false },
      { headers: { 'If-Match': 'W/"3"' } },
    );

    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ revision: 4, awaiting: false });
  });

  it('refuses If-Match at the revision it had cached, appending nothing', async () => {
    const id = await changedBehindItsBack({
      type: 'CaseAwaitingChanged',
      data: { awaiting: true },
    });

    const put = await t.http.put(
      `/cases/${id}`,
      { awaiting: false },
      { headers: { 'If-Match': 'W/"2"' } },
    );

    expect(put.status).toBe(412);
    expect(await t.streamEvents(id)).toHaveLength(3);
  });
});
