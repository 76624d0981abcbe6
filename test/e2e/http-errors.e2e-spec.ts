import { startTestApp, type TestApp } from './support/test-app';
import { QUEUE, clientCaseBody } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';
import { expectProblem } from './support/problems';

/** Bad input always gets a clear problem+json answer and changes nothing. */
describe(onStore('errors over HTTP'), () => {
  let t: TestApp;
  let caseId: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { BODY_LIMIT: '4096' } });
    caseId = (await t.http.post('/cases', clientCaseBody())).body.id;
  });
  afterAll(() => t.close());

  const expectUnchanged = async () =>
    expect((await t.streamEvents(caseId)).map((e) => e.type)).toEqual(['CaseCreated']);

  describe('400', () => {
    it('names every failing field, nested ones by path', async () => {
      const response = await t.http.post('/cases', {
        queue: { id: 'nope', name: 5 },
        assignee: { id: 'USR-1', email: 'not-an-email' },
        parameters: [
          { id: 'PAR-1234-1234', constraints: { visibleToReporter: 'yes' } },
          { name: 'x' },
        ],
      });
      expectProblem(response, 400);
      expect(Object.keys(response.body.errors).sort()).toEqual([
        'assignee.email',
        'assignee.id',
        'parameters.0.constraints.visibleToReporter',
        'parameters.1.id',
        'queue.id',
        'queue.name',
      ]);
    });

    it('refuses fields that are no part of a case', async () => {
      const response = await t.http.put(`/cases/${caseId}`, {
        colour: 'red',
        queue: { ...QUEUE, floor: 3 },
      });
      expectProblem(response, 400);
      expect(response.body.errors).toEqual({
        colour: ['is not a field of this request'],
        'queue.floor': ['is not a field of this request'],
      });
      await expectUnchanged();
    });

    it('refuses a missing required field', async () => {
      const response = await t.http.post(`/cases/${caseId}/transfer`, {});
      expectProblem(response, 400);
      expect(Object.keys(response.body.errors)).toEqual(['queue']);
      await expectUnchanged();
    });

    it('refuses fields on a route that takes none', async () => {
      const response = await t.http.post(`/cases/${caseId}/complete`, { reason: 'done' });
      expectProblem(response, 400);
      expect(response.body.errors).toEqual({ reason: ['is not a field of this request'] });
      await expectUnchanged();
    });

    it.each([
      ['malformed JSON', '{"queue":'],
      ['a JSON array', '[1,2]'],
      ['a JSON string', '"case"'],
      ['prototype pollution', '{"__proto__": {"admin": true}, "queue": {"id": "HQU-1234-1234"}}'],
    ])('refuses %s', async (_name, rawBody) => {
      const response = await t.http.put(`/cases/${caseId}`, undefined, { rawBody });
      expectProblem(response, 400);
      await expectUnchanged();
    });

    it.each(['abc', '0', '-1', '1.5', '1e3'])('refuses ?revision=%s', async (revision) => {
      const response = await t.http.get(`/cases/${caseId}?revision=${revision}`);
      expectProblem(response, 400);
      expect(response.body.detail).toMatch(/revision/);
    });

    it.each(['3', 'W/3', 'W/"x"', '"1", bogus'])(
      'refuses a malformed If-Match %s',
      async (ifMatch) => {
        const response = await t.http.put(
          `/cases/${caseId}`,
          { awaiting: true },
          { headers: { 'If-Match': ifMatch } },
        );
        expectProblem(response, 400);
        expect(response.body.detail).toMatch(/If-Match/);
        await expectUnchanged();
      },
    );

    it('refuses a malformed Idempotency-Key', async () => {
      const key = 'x'.repeat(300);
      const response = await t.http.put(
        `/cases/${caseId}`,
        { awaiting: true },
        { headers: { 'Idempotency-Key': key } },
      );
      expectProblem(response, 400);
      await expectUnchanged();
    });

    it('refuses bad pagination on the audit trail', async () => {
      expectProblem(await t.http.get(`/cases/${caseId}/audit?limit=0`), 400);
      expectProblem(await t.http.get(`/cases/${caseId}/audit?limit=1001`), 400);
      expectProblem(await t.http.get(`/cases/${caseId}/audit?offset=-1`), 400);
    });
  });

  describe('404', () => {
    it.each(['CAS-0000-0000', 'nonsense', 'CAS-0000-0000-0000'])(
      'for case id %s on every route',
      async (id) => {
        expectProblem(await t.http.get(`/cases/${id}`), 404);
        expectProblem(await t.http.get(`/cases/${id}/audit`), 404);
        expectProblem(await t.http.put(`/cases/${id}`, { awaiting: true }), 404);
        expectProblem(await t.http.post(`/cases/${id}/complete`), 404);
        expect(await t.streamEvents(id)).toEqual([]);
      },
    );

    it('for a revision the case has not reached', async () => {
      expectProblem(await t.http.get(`/cases/${caseId}?revision=2`), 404);
    });

    it('for an unknown route', async () => {
      expectProblem(await t.http.get('/nowhere'), 404);
    });
  });

  it('413 for a body over BODY_LIMIT', async () => {
    const response = await t.http.put(`/cases/${caseId}`, {
      parameters: [{ id: 'PAR-1234-1234', value: 'x'.repeat(5000) }],
    });
    expectProblem(response, 413);
    await expectUnchanged();
  });

  it('415 for a body that is not JSON', async () => {
    const response = await t.http.put(`/cases/${caseId}`, undefined, {
      rawBody: 'awaiting=true',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(response, 415);
    await expectUnchanged();
  });

  it('401 with WWW-Authenticate for a missing or bad token', async () => {
    const missing = await t.http.get(`/cases/${caseId}`, { as: null });
    expectProblem(missing, 401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await t.http.put(
      `/cases/${caseId}`,
      { awaiting: true },
      { as: null, headers: { authorization: 'Bearer abc.def.ghi' } },
    );
    expectProblem(bad, 401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    await expectUnchanged();
  });

  it("echoes the caller's correlation id and generates one when absent", async () => {
    const given = await t.http.get(`/cases/${caseId}`, {
      headers: { 'X-Correlation-Id': 'abc-123' },
    });
    expect(given.headers.get('x-correlation-id')).toBe('abc-123');
    const generated = await t.http.get(`/cases/${caseId}`);
    expect(generated.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('titles and types as the platform names them', () => {
    it.each<
      [string, () => Promise<{ status: number; headers: Headers; body: any }>, number, string]
    >([
      [
        'failed validation',
        () => t.http.post('/cases', { queue: { id: 'nope' } }),
        400,
        'One or more validation errors occurred',
      ],
      [
        'malformed JSON',
        () => t.http.post('/cases', undefined, { rawBody: '{' }),
        400,
        'Bad Request',
      ],
      ['invalid RQL', () => t.http.get('/cases?eq(colour,red)'), 400, 'Bad Request'],
      ['no token', () => t.http.get('/cases', { as: null }), 401, 'Unauthorized'],
      ['an unknown case', () => t.http.get('/cases/CAS-0000-0000-0000'), 404, 'Not Found'],
      ['a refused command', () => t.http.post(`/cases/${caseId}/process`), 409, 'Conflict'],
      [
        'a stale If-Match',
        () =>
          t.http.put(`/cases/${caseId}`, { awaiting: true }, { headers: { 'if-match': 'W/"9"' } }),
        412,
        'Precondition Failed',
      ],
      [
        'a body that is not JSON',
        () =>
          t.http.post('/cases', undefined, {
            rawBody: 'x',
            headers: { 'content-type': 'text/plain' },
          }),
        415,
        'Unsupported Media Type',
      ],
    ])('%s', async (_, send, status, title) => {
      const response = await send();
      expectProblem(response, status);
      expect(response.body.title).toBe(title);
      expect(response.body.type).toMatch(/^\/docs\/problems\/[a-z-]+$/);
      // The type resolves, without a token, to a short page about it.
      const page = await t.http.get(response.body.type, { as: null });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.text).toContain(`<h1>${title}</h1>`);
      await expectUnchanged();
    });

    it('answers 404 for a problem type it does not have', async () => {
      expect((await t.http.get('/docs/problems/uri-too-long', { as: null })).status).toBe(200);
      const page = await t.http.get('/docs/problems/teapots', { as: null });
      expectProblem(page, 404);
      expect(page.body.title).toBe('Not Found');
    });
  });
});
