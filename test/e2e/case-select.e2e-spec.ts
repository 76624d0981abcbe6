import { ASSIGNEE, clientCaseBody } from '../support/case.fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe('select and If-None-Match on case reads', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp();
    id = (await t.http.post('/cases', clientCaseBody())).body.id;
    await t.http.post(`/cases/${id}/assign`, { assignee: ASSIGNEE });
    await t.http.put(`/cases/${id}`, { awaiting: true });
  });
  afterAll(() => t.close());

  describe('GET /cases/{id}?select=', () => {
    it.each<[string, (full: any) => object]>([
      ['id,status', (c) => ({ id: c.id, status: c.status })],
      ['status', (c) => ({ id: c.id, status: c.status })],
      [
        'queue.name,audit.created',
        (c) => ({ id: c.id, queue: { name: c.queue.name }, audit: { created: c.audit.created } }),
      ],
      [
        'parameters.id',
        (c) => ({ id: c.id, parameters: c.parameters.map((p: any) => ({ id: p.id })) }),
      ],
      ['-parameters,-audit', (c) => without(c, 'parameters', 'audit')],
      [
        '-audit.created.by,-queue',
        (c) => ({
          ...without(c, 'queue'),
          audit: { ...c.audit, created: without(c.audit.created, 'by') },
        }),
      ],
      ['+queue.name', (c) => c],
      ['%2Bqueue.name%2C-chat', (c) => without(c, 'chat')],
    ])('select=%s', async (select, expected) => {
      const full = (await t.http.get(`/cases/${id}`)).body;
      const answer = await t.http.get(`/cases/${id}?select=${select}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('etag')).toBe(`W/"${full.revision}"`);
      expect(answer.body).toEqual(expected(full));
    });

    it('applies to an earlier revision too', async () => {
      const answer = await t.http.get(`/cases/${id}?revision=1&select=revision,assignee`);
      expect(answer.body).toEqual({ id, revision: 1, assignee: null });
    });

    it.each(['colour', '-id', 'queue.colour', 'id,', 'audit.created.at.x'])(
      'refuses select=%s with a 400 problem',
      async (select) => {
        const answer = await t.http.get(`/cases/${id}?select=${select}`);
        expect(answer.status).toBe(400);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.body.detail).toMatch(/^Invalid select: /);
      },
    );

    it('applies visibility first: a client cannot select awaiting, operations can', async () => {
      const client = await t.http.get(`/cases/${id}?select=awaiting`, { as: 'client' });
      expect(client.status).toBe(400);
      expect(client.body.detail).toContain('unknown field "awaiting"');
      const operations = await t.http.get(`/cases/${id}?select=awaiting`);
      expect(operations.body).toEqual({ id, awaiting: true });
    });
  });

  describe('GET /cases/{id}/audit?select=', () => {
    it('keeps the selected fields of every record, id always', async () => {
      const full = (await t.http.get(`/cases/${id}/audit`)).body;
      const answer = await t.http.get(`/cases/${id}/audit?select=event,actor.name&limit=2`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        $meta: { pagination: { offset: 0, limit: 2, total: full.$meta.pagination.total } },
        data: full.data
          .slice(0, 2)
          .map((r: any) => ({ id: r.id, event: r.event, actor: { name: r.actor.name } })),
      });
      const dropped = await t.http.get(`/cases/${id}/audit?select=-details,-request`);
      expect(dropped.body.data[0]).not.toHaveProperty('details');
      expect(dropped.body.data[0]).toHaveProperty('actor');
    });

    it('refuses an unknown field like every other route', async () => {
      const answer = await t.http.get(`/cases/${id}/audit?select=colour`);
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toContain('Invalid select: unknown field "colour"');
    });
  });

  describe('If-None-Match', () => {
    it.each([
      (etag: string) => etag,
      (etag: string) => etag.replace('W/', ''),
      (etag: string) => `W/"999", ${etag}`,
      () => '*',
    ])('answers 304 with no body when it names the current ETag (%#)', async (header) => {
      const etag = (await t.http.get(`/cases/${id}`)).headers.get('etag')!;
      const answer = await t.http.get(`/cases/${id}`, {
        headers: { 'if-none-match': header(etag) },
      });
      expect(answer.status).toBe(304);
      expect(answer.text).toBe('');
      expect(answer.headers.get('etag')).toBe(etag);
    });

    it('answers 200 with the case when the ETag is stale', async () => {
      const answer = await t.http.get(`/cases/${id}`, { headers: { 'if-none-match': 'W/"1"' } });
      expect(answer.status).toBe(200);
      expect(answer.body.id).toBe(id);
    });

    it('still answers 404 for an unknown case', async () => {
      const answer = await t.http.get('/cases/CAS-0000-0000-0000', {
        headers: { 'if-none-match': '*' },
      });
      expect(answer.status).toBe(404);
    });
  });
});

function without(value: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}
