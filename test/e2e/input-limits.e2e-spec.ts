import { SignJWT } from 'jose';
import { BASE_PATH } from '../../src/common/api-base-path';
import { MAX_JSON_DEPTH } from '../../src/common/json-body.parser';
import { CaseEventFeed } from '../../src/feed/case-event-feed';
import { claimsOf } from '../../src/identity/principal';
import { DEV_PRINCIPALS } from '../../src/identity/dev-tokens';
import { SseConnection, eventually } from '../feed/sse-client';
import { clientCaseBody } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';
import { expectProblem, rawExchange } from './support/problems';
import { startTestApp, TEST_SECRET, type TestApp } from './support/test-app';

/** Inputs that once produced a 5xx or a non-problem answer (issue 12), each refused cleanly. */
describe(onStore('input limits'), () => {
  let t: TestApp;
  let caseId = '';
  beforeAll(async () => {
    t = await startTestApp({ env: { FEED_MAX_CONNECTIONS: '2', HTTP_REQUEST_TIMEOUT_MS: '1000' } });
    caseId = (await t.http.post('/cases', clientCaseBody())).body.id;
  });
  afterAll(() => t.close());

  const expectUnchanged = async () =>
    expect((await t.streamEvents(caseId)).map((e) => e.type)).toEqual(['CaseCreated']);
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  describe('JSON nesting depth', () => {
    it.each([MAX_JSON_DEPTH + 1, 3_000, 100_000])(
      'refuses a body %i levels deep with 400 naming the limit',
      async (depth) => {
        const response = await t.http.post(`/cases/${caseId}/transfer`, undefined, {
          rawBody: `{"extra":${nested(depth - 1)}}`,
        });
        expectProblem(response, 400);
        expect(response.body.detail).toContain(`${MAX_JSON_DEPTH} levels`);
        await expectUnchanged();
      },
    );

    it('counts brackets inside strings as text, not nesting', async () => {
      const other = (await t.http.post('/cases', clientCaseBody())).body.id;
      const response = await t.http.post(`/cases/${other}/query`, {
        queryPrompt: `${'['.repeat(1000)}"\\`,
      });
      expect(response.status).toBe(200);
    });

    it('accepts a parameter value nested up to the limit', async () => {
      const value = JSON.parse(nested(MAX_JSON_DEPTH - 3));
      const response = await t.http.post('/cases', {
        ...clientCaseBody(),
        parameters: [{ id: 'PAR-1234-1234', value }],
      });
      expect(response.status).toBe(201);
    });
  });

  it.each([
    ['an e-mail', { assignee: { id: 'USR-9000-0006', email: '\ud800' } }],
    ['a name', { assignee: { id: 'USR-9000-0006', firstName: 'a\udc00b' } }],
  ])('refuses a lone surrogate in %s with 400', async (_what, body) => {
    const response = await t.http.post(`/cases/${caseId}/assign`, undefined, {
      rawBody: JSON.stringify(body),
    });
    expectProblem(response, 400);
    expect(response.body.detail).toMatch(/lone UTF-16 surrogate at body\.assignee\./);
    await expectUnchanged();
  });

  describe('feed positions', () => {
    it.each(['9223372036854775808', '18446744073709551615'])(
      'refuses %s, past a signed 64-bit position, in ?after= and Last-Event-ID',
      async (position) => {
        expectProblem(await t.http.get(`/case-events?after=${position}`), 400);
        const header = await t.http.get('/case-events', { headers: { 'Last-Event-ID': position } });
        expectProblem(header, 400);
        expect(header.body.errors).toEqual({
          'Last-Event-ID': ['must be a decimal integer from 0 to 9223372036854775807 (2^63 - 1)'],
        });
      },
    );

    it('refuses a stream over FEED_MAX_CONNECTIONS with 503 and Retry-After', async () => {
      const url = `${t.baseUrl}${BASE_PATH}/case-events?after=9223372036854775807`;
      const token = t.tokens.operations;
      const open = [
        await SseConnection.open(url, { token }),
        await SseConnection.open(url, { token }),
      ];
      await eventually(() => t.app.get(CaseEventFeed).openStreams === 2, 'two open streams');
      const refused = await t.http.get('/case-events');
      expectProblem(refused, 503);
      expect(refused.headers.get('retry-after')).toBe('5');
      open[0]!.close();
      await eventually(() => t.app.get(CaseEventFeed).openStreams === 1, 'a stream to close');
      const admitted = await SseConnection.open(url, { token });
      expect(admitted.status).toBe(200);
      [open[1]!, admitted].forEach((connection) => connection.close());
    });
  });

  describe('errors Fastify and the HTTP parser raise', () => {
    it('answers a path that is not valid percent-encoding with 400', async () => {
      expectProblem(await t.http.get('/cases/%ZZ'), 400);
    });

    it.each([101, 5_000])('answers a %i-character case id like any unknown id: 404', async (n) => {
      const id = 'C'.repeat(n);
      expectProblem(await t.http.get(`/cases/${id}`), 404);
      expectProblem(await t.http.post(`/cases/${id}/complete`), 404);
      expectProblem(await t.http.get(`/cases/${id}/audit`), 404);
    });

    it('answers a request the HTTP parser refuses with 400 problem+json', async () => {
      const answer = await rawExchange(
        t.baseUrl,
        'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      );
      expectRawProblem(answer, 400);
    });

    it('answers headers over the limit with 431 problem+json', async () => {
      const answer = await rawExchange(
        t.baseUrl,
        `GET ${BASE_PATH}/cases HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      expectRawProblem(answer, 431);
    });

    it('answers a body that stops arriving with 408 once HTTP_REQUEST_TIMEOUT_MS has passed', async () => {
      const answer = await rawExchange(
        t.baseUrl,
        `POST ${BASE_PATH}/cases/${caseId}/complete HTTP/1.1\r\nHost: x\r\n` +
          `Authorization: Bearer ${t.tokens.operations}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      );
      expectRawProblem(answer, 408);
      await expectUnchanged();
    });
  });

  it('refuses a correctly signed token that lives far too long (exp: 1e300)', async () => {
    const token = await new SignJWT({ ...claimsOf(DEV_PRINCIPALS.operations), exp: 1e300 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .sign(new TextEncoder().encode(TEST_SECRET));
    const response = await t.http.post(`/cases/${caseId}/complete`, undefined, {
      as: null,
      headers: { authorization: `Bearer ${token}` },
    });
    expectProblem(response, 401);
    expect(response.body.detail).toBe(
      'The token lives longer than the 86400 seconds this service accepts',
    );
    await expectUnchanged();
  });
});

function expectRawProblem(answer: string, status: number): void {
  const [head, body] = answer.split('\r\n\r\n', 2);
  expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(head).toMatch(/\r\nContent-Type: application\/problem\+json/i);
  expect(JSON.parse(body!)).toMatchObject({
    status,
    type: expect.any(String),
    detail: expect.any(String),
  });
}
