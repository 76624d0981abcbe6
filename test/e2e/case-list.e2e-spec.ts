import { request as httpRequest } from 'node:http';
import { BASE_PATH } from '../../src/common/api-base-path';
import { ASSIGNEE, OTHER_QUEUE, QUEUE, clientCaseBody } from '../support/case.fixtures';
import { projectionCaughtUp } from './support/projection';
import { CALLERS, startTestApp, type Caller, type TestApp } from './support/test-app';

describe('GET /cases with RQL', () => {
  let t: TestApp;
  /** awaiting: transferred, assigned, awaiting; querying: queried; done: completed. */
  const ids = { awaiting: '', querying: '', done: '', other: '' };
  const list = (query: string, as: Caller = 'operations') => t.http.get(`/cases?${query}`, { as });
  /** GET /cases with the query string exactly as given, quotes and all, as Python's httpx sends it. */
  const rawListedIds = (query: string) =>
    new Promise<string[]>((resolve, reject) => {
      const url = new URL(t.baseUrl);
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: `${BASE_PATH}/cases?${query.replaceAll(' ', '%20')}`,
          headers: { authorization: `Bearer ${t.tokens.operations}` },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => {
            const body = JSON.parse(text) as { data?: { id: string }[]; detail?: string };
            if (res.statusCode !== 200) reject(new Error(`${res.statusCode}: ${body.detail}`));
            else resolve(body.data!.map((c) => c.id));
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
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
    ['eq(assignee,null())', ['querying', 'done', 'other']],
    ['ne(assignee,null())', ['awaiting']],
    ["like(queue.name,'Business*')", ['querying', 'done', 'other']],
    ["like(queue.name,'business*')", []],
    ['eq(queue.name,empty())', []],
    ["and(eq(status,'Processing'),ilike(account.name,'*corp'))", ['other']],
  ])('filters %s', async (query, expected) => {
    expect(await listedIds(query)).toEqual(expected.map((name) => ids[name]));
  });

  it.each<[string, string[], (keyof typeof ids)[]]>([
    [
      'quoted id',
      ['eq(id,{awaiting})', "eq(id,'{awaiting}')", 'eq(id,"{awaiting}")', "id='{awaiting}'"],
      ['awaiting'],
    ],
    [
      'quoted status',
      ["eq(status,'Querying')", 'eq(status,"querying")', 'eq%28status%2C%27Querying%27%29'],
      ['querying'],
    ],
    [
      'quoted times',
      [
        "ge(audit.created.at,'2000-01-01T10:00:00+00:00')",
        'ge(audit.created.at,%272000-01-01T10%3A00%3A00%2B00%3A00%27)',
        "and(ge(audit.created.at,'2000-01-01'),lt(audit.created.at,'2999-01-01T00:00:00'))",
      ],
      ['awaiting', 'querying', 'done', 'other'],
    ],
    [
      'ilike on names',
      [
        "ilike(queue.name,'*Onboarding*')",
        'ilike(queue.name,"*onboarding*")',
        'ilike%28queue.name%2C%27%2AOnboarding%2A%27%29',
      ],
      ['querying', 'done', 'other'],
    ],
    [
      'assignee name',
      ["eq(assignee.name,'Will Smith')", 'ilike(assignee.name,will*)'],
      ['awaiting'],
    ],
    [
      'account and reporter names',
      [
        "eq(account.name,'Stark Industries')",
        'account.name=%22Stark%20Industries%22',
        "and(eq(reporter.name,'Jane Doe'),ne(account.name,'Other Corp'))",
      ],
      ['awaiting', 'querying', 'done'],
    ],
    [
      'in with quotes',
      ["in(status,('Querying','Completed'))", 'out(status,("Processing"))'],
      ['querying', 'done'],
    ],
  ])('gives the same rows for every form of a %s filter', async (_, forms, expected) => {
    for (const form of forms) {
      const query = form.replace('{awaiting}', ids.awaiting);
      expect(await listedIds(query)).toEqual(expected.map((name) => ids[name]));
      // As an HTTP client that leaves quotes and parentheses unencoded sends it, too.
      expect(await rawListedIds(query)).toEqual(expected.map((name) => ids[name]));
    }
  });

  it('keeps only the selected fields of each case, id always', async () => {
    const answer = await list(`eq(id,'${ids.awaiting}')&select=status,queue.name,audit.created`);
    expect(answer.status).toBe(200);
    const full = (await t.http.get(`/cases/${ids.awaiting}`)).body;
    expect(answer.body.data).toEqual([
      {
        id: ids.awaiting,
        status: full.status,
        queue: { name: full.queue.name },
        audit: { created: full.audit.created },
      },
    ]);
    const dropped = await list(`eq(id,'${ids.awaiting}')&select=-parameters,-audit,+queue.name`);
    const { parameters, audit, ...rest } = full;
    expect([parameters, audit]).toBeDefined();
    expect(dropped.body.data).toEqual([rest]);
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

    it('cannot select awaiting: to a client the field does not exist', async () => {
      const answer = await list('select=id,awaiting', 'client');
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toContain('Invalid select: unknown field "awaiting"');
      const audit = await list('select=audit.awaitingChanged', 'client');
      expect(audit.status).toBe(400);
    });

    it('cannot reach another account by naming it', async () => {
      expect(await listedIds(`account.id=${CALLERS.otherClient.accountId}`, 'client')).toEqual([]);
    });

    it.each(['eq(awaiting,false)', 'awaiting=true', 'order=-awaiting'])(
      'cannot filter or order on awaiting: %s',
      async (query) => {
        const answer = await list(query, 'client');
        expect(answer.status).toBe(400);
        expect(answer.body.detail).toMatch(
          /^Invalid RQL at character \d+: "awaiting" is available to operations users only\.$/,
        );
      },
    );
  });

  it.each<[string, string]>([
    ['eq(colour,red)', 'unknown field "colour"'],
    ['regex(status,x)', 'unknown operator "regex"'],
    ['eq(status,Open)', 'status must be one of Processing, Querying, Completed'],
    ['eq(revision,many)', 'revision must be a whole number'],
    ['and(eq(status,Querying)', 'Invalid RQL at character 24: expected "," or ")", got the end.'],
    ["eq(id,'CAS-1", "Invalid RQL at character 7: the value quoted here has no closing '."],
    ['any(parameters,eq(id,a))', 'any() is not supported'],
    [Array(1000).fill('id=a').join('&'), 'more than 100 conditions; the limit is 100.'],
    [`or(${Array(1000).fill('eq(id,a)').join(',')})`, 'more than 100 conditions'],
    ['select=colour', 'unknown field "colour"'],
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
