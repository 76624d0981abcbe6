import { ASSIGNEE, OTHER_QUEUE, QUEUE, clientCaseBody } from '../support/case.fixtures';
import { projectionCaughtUp } from './support/projection';
import { CALLERS, startTestApp, type Caller, type TestApp } from './support/test-app';

describe('GET /cases with RQL', () => {
  let t: TestApp;
  /** awaiting: transferred, assigned, awaiting; querying: queried; done: completed. */
  const ids = { awaiting: '', querying: '', done: '', other: '' };
  const list = (query: string, as: Caller = 'operations') => t.http.get(`/cases?${query}`, { as });
  const listedIds = async (query: string, as: Caller = 'operations') => {
    const answer = await list(query, as);
    expect({ query, status: answer.status }).toEqual({ query, status: 200 });
    return answer.body.data.map((c: { id: string }) => c.id);
  };

  beforeAll(async () => {
    t = await startTestApp();
    const create = async (body: object) => (await t.http.post('/cases', body)).body.id as string;
    ids.awaiting = await create(clientCaseBody());
    await t.http.put(`/cases/${ids.awaiting}`, {
      queue: OTHER_QUEUE,
      assignee: ASSIGNEE,
      awaiting: true,
    });
    ids.querying = await create(clientCaseBody());
    await t.http.post(`/cases/${ids.querying}/query`, { queryPrompt: 'Which invoice?' });
    ids.done = await create(clientCaseBody());
    await t.http.post(`/cases/${ids.done}/complete`);
    const other = CALLERS.otherClient;
    ids.other = await create(
      clientCaseBody({
        account: { id: other.accountId, name: other.accountName },
        reporter: { id: other.id, name: other.name },
        parameters: [],
      }),
    );
    await projectionCaughtUp(t);
  });
  afterAll(() => t.close());

  it('answers the envelope, oldest first, each case exactly as GET /cases/{id} shows it', async () => {
    const answer = await list('');
    expect(answer.status).toBe(200);
    expect(answer.body.$meta).toEqual({ pagination: { offset: 0, limit: 10, total: 4 } });
    expect(answer.body.data.map((c: { id: string }) => c.id)).toEqual([
      ids.awaiting,
      ids.querying,
      ids.done,
      ids.other,
    ]);
    for (const listed of answer.body.data) {
      expect(listed).toEqual((await t.http.get(`/cases/${listed.id}`)).body);
    }
  });

  it.each<[string, (keyof typeof ids)[]]>([
    ['status=Querying', ['querying']],
    ['status=querying', ['querying']],
    ['eq(status,COMPLETED)', ['done']],
    ['ne(status,Processing)', ['querying', 'done']],
    ['in(status,(querying,completed))', ['querying', 'done']],
    ['out(status,(querying,completed))', ['awaiting', 'other']],
    ['eq(awaiting,true)', ['awaiting']],
    ['eq(assignee.id,null())', ['querying', 'done', 'other']],
    [`eq(assignee.id,${ASSIGNEE.id})`, ['awaiting']],
    [`ilike(queue.id,*${OTHER_QUEUE.id.slice(-4)})`, ['awaiting']],
    ['ilike(queue.id,hqu-1234-*)', ['querying', 'done', 'other']],
    ['gt(revision,1)', ['awaiting', 'querying', 'done']],
    ['ge(revision,4)', ['awaiting']],
    ['lt(revision,2)', ['other']],
    ['le(revision,2)', ['querying', 'done', 'other']],
    [`account.id=${CALLERS.otherClient.accountId}`, ['other']],
    [`and(eq(queue.id,${QUEUE.id}),not(eq(status,Completed)))`, ['querying', 'other']],
    ['or(eq(status,Completed),eq(awaiting,true))', ['awaiting', 'done']],
    [
      'gt(audit.created.at,2000-01-01)&lt(audit.updated.at,2999-01-01T00:00:00Z)',
      ['awaiting', 'querying', 'done', 'other'],
    ],
    ['gt(audit.created.at,2999-01-01)', []],
  ])('filters %s', async (query, expected) => {
    expect(await listedIds(query)).toEqual(expected.map((name) => ids[name]));
  });

  it('orders by several fields and pages with a stable total', async () => {
    expect(await listedIds('order=-revision,id')).toEqual([
      ids.awaiting,
      ...[ids.querying, ids.done].sort(),
      ids.other,
    ]);
    const page = await list('order=-audit.created.at&limit=2&offset=1');
    expect(page.body.$meta).toEqual({ pagination: { offset: 1, limit: 2, total: 4 } });
    expect(page.body.data.map((c: { id: string }) => c.id)).toEqual([ids.done, ids.querying]);
  });

  describe('a client or vendor', () => {
    it("sees only its own account's cases, without awaiting or hidden parameters", async () => {
      const answer = await list('limit=1000', 'client');
      expect(answer.body.$meta.pagination.total).toBe(3);
      for (const listed of answer.body.data) {
        expect(listed).not.toHaveProperty('awaiting');
        expect(listed.audit).not.toHaveProperty('awaitingChanged');
        expect(listed).toEqual((await t.http.get(`/cases/${listed.id}`, { as: 'client' })).body);
      }
      expect(await listedIds('', 'otherClient')).toEqual([ids.other]);
      expect(await listedIds('', 'vendor')).toEqual([]);
    });

    it('cannot reach another account by naming it', async () => {
      expect(await listedIds(`account.id=${CALLERS.otherClient.accountId}`, 'client')).toEqual([]);
    });

    it.each(['eq(awaiting,false)', 'awaiting=true', 'order=-awaiting'])(
      'cannot filter or order on awaiting: %s',
      async (query) => {
        const answer = await list(query, 'client');
        expect(answer.status).toBe(400);
        expect(answer.body.detail).toBe(
          'Invalid RQL: "awaiting" is available to operations users only.',
        );
      },
    );
  });

  it.each<[string, string]>([
    ['eq(colour,red)', 'unknown field "colour"'],
    ['regex(status,x)', 'unknown operator "regex"'],
    ['eq(status,Open)', 'status must be one of Processing, Querying, Completed'],
    ['eq(revision,many)', 'revision must be a whole number'],
    ['and(eq(status,Querying)', 'unexpected the end'],
    ['limit=1001', 'limit must be a whole number from 1 to 1000'],
    ['limit=0', 'limit must be a whole number from 1 to 1000'],
    ['order=size', 'unknown field "size"'],
  ])('refuses %s with a 400 problem', async (query, detail) => {
    const answer = await list(query);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.detail).toContain(detail);
  });

  it('needs a token', async () => {
    expect((await t.http.get('/cases', { as: null })).status).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const { paths } = (await t.http.get('/docs/openapi.json')).body;
    const listing = paths['/public/v1/helpdesk/cases'].get;
    expect(listing.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['order', 'limit', 'offset']),
    );
    expect(paths['/public/v1/helpdesk/chats/{chatId}/participants'].get).toBeDefined();
  });
});
