import { EventStore, type EventToAppend } from '../../src/event-store/event-store.port';
import { startTestApp, type TestApp } from './support/test-app';
import { ASSIGNEE, OTHER_QUEUE, clientCaseBody } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';

/**
 * Plays another writer: before each of the next `times` appends to a case stream, it appends
 * an awaiting toggle of its own, exactly as a second service instance could.
 */
class InterleavingWriter {
  times = 0;
  wrap = (store: EventStore): EventStore => {
    const append = store.appendToStream.bind(store);
    store.appendToStream = async (streamId, events, options) => {
      if (this.times > 0 && options.expectedRevision !== 'no_stream') {
        this.times -= 1;
        const revision = options.expectedRevision as bigint;
        await append(streamId, [this.toggle(revision)], { expectedRevision: revision });
      }
      return append(streamId, events, options);
    };
    return store;
  };
  private toggle(revision: bigint): EventToAppend {
    return {
      id: crypto.randomUUID(),
      type: 'CaseAwaitingChanged',
      data: { awaiting: revision % 2n === 0n },
      metadata: {
        schemaVersion: 2,
        occurredAt: new Date().toISOString(),
        actor: {
          id: 'USR-9000-0001',
          name: 'Other Writer',
          accountId: 'ACC-1000-0000',
          accountName: 'Ops',
          accountType: 'operations',
        },
        $correlationId: 'other-writer',
        $causationId: 'other-writer',
      },
    };
  }
}

describe(onStore('optimistic concurrency over HTTP'), () => {
  const writer = new InterleavingWriter();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: { COMMAND_RETRIES: '3' },
      overrides: { wrapEventStore: writer.wrap },
    });
  });
  afterAll(() => t.close());
  afterEach(() => {
    writer.times = 0;
  });

  const createCase = async () => (await t.http.post('/cases', clientCaseBody())).body.id as string;
  const types = async (id: string) => (await t.streamEvents(id)).map((e) => e.type);

  it('applies a command whose If-Match names the current revision, in either form', async () => {
    const id = await createCase();
    const weak = await t.http.post(
      `/cases/${id}/transfer`,
      { queue: OTHER_QUEUE },
      { headers: { 'If-Match': 'W/"1"' } },
    );
    expect(weak.status).toBe(200);
    const strong = await t.http.post(
      `/cases/${id}/assign`,
      { assignee: ASSIGNEE },
      { headers: { 'If-Match': '"2"' } },
    );
    expect(strong.status).toBe(200);
    expect(strong.headers.get('etag')).toBe('W/"3"');
  });

  it('answers 412 to a stale If-Match and appends nothing', async () => {
    const id = await createCase();
    await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });
    const response = await t.http.post(
      `/cases/${id}/assign`,
      { assignee: ASSIGNEE },
      { headers: { 'If-Match': 'W/"1"' } },
    );
    expect(response.status).toBe(412);
    expect(response.body.detail).toMatch(/revision 2/);
    expect(await types(id)).toEqual(['CaseCreated', 'CaseTransferred']);
  });

  it('answers 412 when another writer appends between the read and the append under If-Match', async () => {
    const id = await createCase();
    writer.times = 1;
    const response = await t.http.post(
      `/cases/${id}/transfer`,
      { queue: OTHER_QUEUE },
      { headers: { 'If-Match': 'W/"1"' } },
    );
    expect(response.status).toBe(412);
    expect(await types(id)).toEqual(['CaseCreated', 'CaseAwaitingChanged']);
  });

  it('without If-Match, re-reads and re-decides after a conflict', async () => {
    const id = await createCase();
    writer.times = 2;
    const response = await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });
    expect(response.status).toBe(200);
    expect(response.body.revision).toBe(4);
    expect(await types(id)).toEqual([
      'CaseCreated',
      'CaseAwaitingChanged',
      'CaseAwaitingChanged',
      'CaseTransferred',
    ]);
  });

  it('re-decides on the new state: a command the other writer made pointless appends nothing', async () => {
    const id = await createCase();
    // The other writer sets awaiting to true (revision 0 → true) before our own identical change lands.
    writer.times = 1;
    const response = await t.http.put(`/cases/${id}`, { awaiting: true });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ revision: 2, awaiting: true });
    expect(await types(id)).toEqual(['CaseCreated', 'CaseAwaitingChanged']);
  });

  it('gives up with 409 after the bounded number of re-decisions', async () => {
    const id = await createCase();
    writer.times = 4;
    const response = await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });
    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/retried 3 times/);
    expect(await types(id)).not.toContain('CaseTransferred');
  });

  it('keeps every one of several concurrent changes to one case', async () => {
    // Each round of conflicts lets at least one writer through, so 3 re-decisions suffice for 4.
    const id = await createCase();
    const parameters = Array.from({ length: 4 }, (_, i) => ({ id: `PAR-7000-000${i}`, value: i }));
    const responses = await Promise.all(
      parameters.map((p) => t.http.put(`/cases/${id}`, { parameters: [p] })),
    );
    expect(responses.map((r) => r.status)).toEqual(parameters.map(() => 200));
    const final = await t.http.get(`/cases/${id}`);
    expect(final.body.revision).toBe(5);
    expect(final.body.parameters.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(parameters.map((p) => p.id)),
    );
  });
});
