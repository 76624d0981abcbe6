import { CALLERS, startTestApp, type TestApp } from './support/test-app';
import { onStore } from './support/e2e-store';
import {
  ASSIGNEE,
  HIDDEN_PARAMETER,
  OTHER_QUEUE,
  QUEUE,
  VISIBLE_PARAMETER,
} from '../support/case.fixtures';

type Party = 'client' | 'vendor';
const PARTIES: Party[] = ['client', 'vendor'];

/** SPEC section 5, row by row, for every kind of caller. */
describe(onStore('identity and access over HTTP'), () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A case on the party's own account, opened by operations, with an awaiting change in its history. */
  const caseOf = async (party: Party | 'otherClient') => {
    const principal = CALLERS[party];
    const created = await t.http.post('/cases', {
      queue: QUEUE,
      account: { id: principal.accountId, name: principal.accountName },
      reporter: { id: principal.id, name: principal.name },
      parameters: [VISIBLE_PARAMETER, HIDDEN_PARAMETER],
    });
    expect(created.status).toBe(201);
    await t.http.put(`/cases/${created.body.id}`, { awaiting: true });
    return created.body.id as string;
  };
  const types = async (id: string) => (await t.streamEvents(id)).map((e) => e.type);

  describe('operations', () => {
    it('reads, audits and changes every case, and sees awaiting and hidden parameters', async () => {
      const id = await caseOf('client');
      const read = await t.http.get(`/cases/${id}`);
      expect(read.body).toMatchObject({
        awaiting: true,
        parameters: [VISIBLE_PARAMETER, HIDDEN_PARAMETER],
      });
      expect(read.body.audit).toHaveProperty('awaitingChanged');
      const trail = await t.http.get(`/cases/${id}/audit`);
      expect(trail.body.data.map((r: { event: string }) => r.event)).toEqual([
        'CaseCreated',
        'CaseAwaitingChanged',
      ]);
      for (const [action, body] of [
        ['transfer', { queue: OTHER_QUEUE }],
        ['assign', { assignee: ASSIGNEE }],
        ['query', {}],
        ['process', undefined],
        ['complete', undefined],
      ] as const) {
        expect((await t.http.post(`/cases/${id}/${action}`, body)).status).toBe(200);
      }
    });

    it('creates on behalf of another account and reporter', async () => {
      const created = await t.http.post('/cases', {
        queue: QUEUE,
        account: { id: 'ACC-7777-0000', name: 'Wayne Enterprises' },
        reporter: { id: 'USR-7777-0001', name: 'Bruce Wayne' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        account: { id: 'ACC-7777-0000' },
        reporter: { id: 'USR-7777-0001' },
      });
      const [event] = await t.streamEvents(created.body.id);
      expect(event.metadata).toMatchObject({
        actor: { id: 'USR-1000-0001', accountType: 'operations' },
      });
    });

    it('changes parameters hidden from the reporter', async () => {
      const id = await caseOf('client');
      const response = await t.http.put(`/cases/${id}`, {
        parameters: [{ ...HIDDEN_PARAMETER, value: 9 }],
      });
      expect(response.status).toBe(200);
      expect((await types(id)).at(-1)).toBe('CaseParametersChanged');
    });
  });

  describe.each(PARTIES)('a %s', (party) => {
    const principal = CALLERS[party];

    describe('reading', () => {
      it("sees its own account's case without awaiting and without hidden parameters", async () => {
        const id = await caseOf(party);
        const read = await t.http.get(`/cases/${id}`, { as: party });
        expect(read.status).toBe(200);
        expect(read.headers.get('etag')).toBe('W/"2"');
        expect(read.body).not.toHaveProperty('awaiting');
        expect(read.body.parameters).toEqual([VISIBLE_PARAMETER]);
        expect(Object.keys(read.body.audit)).toEqual(['created', 'updated']);
        expect(read.text).not.toContain(HIDDEN_PARAMETER.id);
        expect(read.text).not.toContain('awaiting');
      });

      it('gets an audit trail with no awaiting changes and no hidden parameter details', async () => {
        const id = await caseOf(party);
        await t.http.put(`/cases/${id}`, { parameters: [{ ...HIDDEN_PARAMETER, value: 1 }] });
        await t.http.put(`/cases/${id}`, {
          parameters: [
            { ...VISIBLE_PARAMETER, value: 'P2' },
            { ...HIDDEN_PARAMETER, value: 2 },
          ],
        });
        const trail = await t.http.get(`/cases/${id}/audit`, { as: party });
        expect(trail.status).toBe(200);
        expect(trail.body.$meta.pagination.total).toBe(2);
        expect(trail.body.data.map((r: { event: string }) => r.event)).toEqual([
          'CaseCreated',
          'CaseParametersChanged',
        ]);
        expect(trail.body.data[0].details.parameters).toEqual([VISIBLE_PARAMETER]);
        expect(trail.body.data[1].details.parameters).toEqual([
          { ...VISIBLE_PARAMETER, value: 'P2' },
        ]);
        expect(trail.text).not.toContain(HIDDEN_PARAMETER.id);
        expect(trail.text).not.toContain('CaseAwaitingChanged');
      });

      it('reads its own case at an earlier revision, narrowed the same way', async () => {
        const id = await caseOf(party);
        const first = await t.http.get(`/cases/${id}?revision=1`, { as: party });
        expect(first.status).toBe(200);
        expect(first.body).not.toHaveProperty('awaiting');
        expect(first.body.parameters).toEqual([VISIBLE_PARAMETER]);
      });

      it("gets 404 for another account's case on every route, revealing nothing", async () => {
        const id = await caseOf('otherClient');
        const responses = [
          await t.http.get(`/cases/${id}`, { as: party }),
          await t.http.get(`/cases/${id}?revision=1`, { as: party }),
          await t.http.get(`/cases/${id}/audit`, { as: party }),
          await t.http.put(`/cases/${id}`, { parameters: [VISIBLE_PARAMETER] }, { as: party }),
          await t.http.post(`/cases/${id}/process`, undefined, { as: party }),
          await t.http.post(`/cases/${id}/complete`, undefined, { as: party }),
          await t.http.post(`/cases/${id}/query`, {}, { as: party }),
          await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE }, { as: party }),
          await t.http.post(`/cases/${id}/assign`, { assignee: ASSIGNEE }, { as: party }),
        ];
        for (const response of responses) {
          expect(response.status).toBe(404);
          expect(response.body.detail).toBe(`Case ${id} was not found.`);
        }
        expect(await types(id)).toEqual(['CaseCreated', 'CaseAwaitingChanged']);
      });
    });

    describe('creating', () => {
      it('creates on its own account as its own reporter, both by default', async () => {
        const created = await t.http.post('/cases', { queue: QUEUE }, { as: party });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({
          account: { id: principal.accountId, name: principal.accountName },
          reporter: { id: principal.id, name: principal.name },
        });
        expect(created.body).not.toHaveProperty('awaiting');
      });

      it.each([
        ['another account', { account: { id: 'ACC-9999-0000' } }, /own account/],
        ['another reporter', { reporter: { id: 'USR-9999-0001' } }, /own reporter/],
      ])('gets 403 naming %s, and nothing is created', async (_name, extra, detail) => {
        const before = await countCaseStreams(t);
        const response = await t.http.post('/cases', { queue: QUEUE, ...extra }, { as: party });
        expect(response.status).toBe(403);
        expect(response.body.detail).toMatch(detail);
        expect(await countCaseStreams(t)).toBe(before);
      });
    });

    describe('commands', () => {
      it.each([
        ['query', 'post', '/query', {}],
        ['transfer', 'post', '/transfer', { queue: OTHER_QUEUE }],
        ['assign', 'post', '/assign', { assignee: ASSIGNEE }],
        ['transfer by PUT', 'put', '', { queue: OTHER_QUEUE }],
        ['assign by PUT', 'put', '', { assignee: ASSIGNEE }],
        ['awaiting by PUT', 'put', '', { awaiting: false }],
      ] as const)(
        'gets 403 for %s on its own case, and nothing is appended',
        async (_name, method, path, body) => {
          const id = await caseOf(party);
          const response = await t.http[method](`/cases/${id}${path}`, body, { as: party });
          expect(response.status).toBe(403);
          expect(response.body.title).toBe('Forbidden');
          expect(await types(id)).toEqual(['CaseCreated', 'CaseAwaitingChanged']);
        },
      );

      it('processes (answers a query) and completes its own case', async () => {
        const id = await caseOf(party);
        await t.http.post(`/cases/${id}/query`, { queryPrompt: 'Please send the form' });
        const processed = await t.http.post(`/cases/${id}/process`, undefined, { as: party });
        expect(processed.status).toBe(200);
        expect(processed.body).not.toHaveProperty('awaiting');
        const completed = await t.http.post(`/cases/${id}/complete`, undefined, { as: party });
        expect(completed.status).toBe(200);
        const events = await t.streamEvents(id);
        expect(events.map((e) => e.type).slice(-2)).toEqual(['CaseResumed', 'CaseCompleted']);
        expect(events.at(-1)!.metadata).toMatchObject({
          actor: { id: principal.id, accountType: party },
        });
      });

      it('changes a parameter visible to the reporter', async () => {
        const id = await caseOf(party);
        const response = await t.http.put(
          `/cases/${id}`,
          { parameters: [{ ...VISIBLE_PARAMETER, value: 'P3' }] },
          { as: party },
        );
        expect(response.status).toBe(200);
        expect(response.body.parameters).toEqual([{ ...VISIBLE_PARAMETER, value: 'P3' }]);
      });

      it.each([
        ['a hidden parameter', { ...HIDDEN_PARAMETER, value: 8 }],
        [
          'a visible parameter made hidden',
          { ...VISIBLE_PARAMETER, constraints: { visibleToReporter: false } },
        ],
        [
          'a new hidden parameter',
          { id: 'PAR-5555-0001', constraints: { visibleToReporter: false }, value: 1 },
        ],
      ])('gets 403 changing %s, and nothing is appended', async (_name, parameter) => {
        const id = await caseOf(party);
        const response = await t.http.put(
          `/cases/${id}`,
          { parameters: [parameter] },
          { as: party },
        );
        expect(response.status).toBe(403);
        expect(await types(id)).toEqual(['CaseCreated', 'CaseAwaitingChanged']);
      });
    });
  });
});

async function countCaseStreams(t: TestApp): Promise<number> {
  const streams = new Set<string>();
  for await (const event of t.store.readAll({ streamPrefix: 'case-' })) streams.add(event.streamId);
  return streams.size;
}
