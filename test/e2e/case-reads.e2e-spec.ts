import { EventBus } from '@nestjs/cqrs';
import { CaseEventRecorded } from '../../src/cases/application/case-event-recorded';
import { CaseFoldCache } from '../../src/cases/application/case-fold.cache';
import { CaseEventStream } from '../../src/cases/application/case-event-stream';
import { startTestApp, type TestApp } from './support/test-app';
import { ASSIGNEE, OTHER_QUEUE, QUEUE, clientCaseBody } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';

describe(onStore('reading cases over HTTP'), () => {
  let t: TestApp;
  let id: string;
  beforeAll(async () => {
    t = await startTestApp();
    id = (
      await t.http.post('/cases', clientCaseBody(), { headers: { 'X-Correlation-Id': 'create-1' } })
    ).body.id;
    await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });
    await t.http.post(`/cases/${id}/assign`, { assignee: ASSIGNEE });
    await t.http.post(`/cases/${id}/query`, { queryPrompt: 'Which contract?' });
  });
  afterAll(() => t.close());

  it('reads the latest revision with its ETag and audit object', async () => {
    const response = await t.http.get(`/cases/${id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('W/"4"');
    expect(response.body).toMatchObject({
      revision: 4,
      status: 'Querying',
      queryPrompt: 'Which contract?',
      queue: OTHER_QUEUE,
      assignee: ASSIGNEE,
    });
    const operator = { id: 'USR-1000-0001', name: 'Olivia Operator' };
    const of = { id: 'ACC-1000-0000', name: 'Helpdesk Operations' };
    expect(Object.keys(response.body.audit)).toEqual([
      'created',
      'updated',
      'transferred',
      'assigned',
      'queried',
    ]);
    expect(response.body.audit.queried).toEqual({ at: expect.any(String), by: operator, of });
    expect(response.body.audit.updated).toEqual(response.body.audit.queried);
  });

  it('reads the case as it was at any earlier revision', async () => {
    const first = await t.http.get(`/cases/${id}?revision=1`);
    expect(first.headers.get('etag')).toBe('W/"1"');
    expect(first.body).toMatchObject({
      revision: 1,
      status: 'Processing',
      queue: QUEUE,
      assignee: null,
    });
    expect(first.body).not.toHaveProperty('queryPrompt');
    expect(Object.keys(first.body.audit)).toEqual(['created', 'updated']);
    const third = await t.http.get(`/cases/${id}?revision=3`);
    expect(third.body).toMatchObject({
      revision: 3,
      queue: OTHER_QUEUE,
      assignee: ASSIGNEE,
      status: 'Processing',
    });
  });

  it('gives the full audit trail, oldest first, paginated', async () => {
    const trail = await t.http.get(`/cases/${id}/audit`);
    expect(trail.status).toBe(200);
    expect(trail.body.$meta.pagination).toEqual({ offset: 0, limit: 10, total: 4 });
    expect(trail.body.data.map((r: { event: string }) => r.event)).toEqual([
      'CaseCreated',
      'CaseTransferred',
      'CaseAssigned',
      'CaseQueried',
    ]);
    const events = await t.streamEvents(id);
    expect(trail.body.data[0]).toEqual({
      id: events[0].id,
      revision: 1,
      event: 'CaseCreated',
      at: expect.any(String),
      actor: {
        id: 'USR-1000-0001',
        name: 'Olivia Operator',
        account: { id: 'ACC-1000-0000', name: 'Helpdesk Operations', accountType: 'operations' },
      },
      object: { id, objectType: 'Case', revision: 1 },
      // Stored with its personal fields sealed; the trail shows them opened.
      details: (await t.app.get(CaseEventStream).history(id))[0]!.event.data,
      request: { log: { correlationId: 'create-1' } },
    });
    const page = await t.http.get(`/cases/${id}/audit?limit=2&offset=2`);
    expect(page.body.$meta.pagination).toEqual({ offset: 2, limit: 2, total: 4 });
    expect(page.body.data.map((r: { revision: number }) => r.revision)).toEqual([3, 4]);
  });

  it('serves commands and reads from one fold cache, each read still asking the store for newer events', async () => {
    const cache = t.app.get(CaseFoldCache);
    const fresh = (await t.http.post('/cases', clientCaseBody())).body.id;
    await t.http.post(`/cases/${fresh}/transfer`, { queue: OTHER_QUEUE });
    expect((await t.http.get(`/cases/${fresh}`)).body.revision).toBe(2);
    expect(cache.get(fresh)?.revision).toBe(2);
    // Another writer (another instance, say) appends behind this one's back.
    const [created] = await t.streamEvents(fresh);
    const event = {
      id: crypto.randomUUID(),
      type: 'CaseAwaitingChanged',
      data: { awaiting: true },
    };
    await t.store.appendToStream(`case-${fresh}`, [{ ...event, metadata: created.metadata }], {
      expectedRevision: 1n,
    });
    const read = await t.http.get(`/cases/${fresh}`);
    expect(read.body).toMatchObject({ revision: 3, awaiting: true });
    expect(cache.get(fresh)?.revision).toBe(3);
  });

  it('publishes recorded events on the EventBus only once they are in the store', async () => {
    const seen: Array<{ type: string; stored: boolean }> = [];
    const bus = t.app.get(EventBus);
    const subscription = bus.subscribe(async (event: unknown) => {
      if (!(event instanceof CaseEventRecorded)) return;
      const stored = (await t.streamEvents(event.caseId)).some((e) => e.id === event.entry.eventId);
      seen.push({ type: event.entry.event.type, stored });
    });
    const created = await t.http.post('/cases', clientCaseBody());
    await t.http.put(`/cases/${created.body.id}`, { queue: OTHER_QUEUE, awaiting: true });
    await t.http.put(`/cases/${created.body.id}`, { awaiting: true }); // no-op: nothing published
    for (let i = 0; i < 100 && seen.length < 3; i++) await new Promise((r) => setImmediate(r));
    subscription.unsubscribe();
    expect(seen).toEqual([
      { type: 'CaseCreated', stored: true },
      { type: 'CaseTransferred', stored: true },
      { type: 'CaseAwaitingChanged', stored: true },
    ]);
  });
});
