import fc from 'fast-check';
import { BASE_PATH } from '../../src/common/api-base-path';
import { clientCaseBody } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';
import type { HttpResponse } from './support/http-client';
import {
  commandRoute,
  feedPosition,
  headerName,
  headerValue,
  idSegment,
  oddBody,
  rqlQuery,
} from './support/fuzz-inputs';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Property-based fuzzing of the real app: no input gets a 5xx, every error is problem+json,
 * and a refused request appends nothing. `FUZZ_RUNS` (default 40 per property) lengthens the
 * run, `FUZZ_SEED` replays one; the seed and the counts are printed either way.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

describe(onStore('fuzzing the HTTP API'), () => {
  jest.setTimeout(Math.max(60_000, RUNS * 2_000));
  let t: TestApp;
  let caseId: string;
  const statuses = new Map<number, number>();
  beforeAll(async () => {
    t = await startTestApp();
    caseId = (await t.http.post('/cases', clientCaseBody())).body.id;
  });
  afterAll(async () => {
    const counts = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
    console.log(`fuzz seed ${SEED}, ${RUNS} runs per property; answers ${counts.join(', ')}`);
    await t.close();
  });

  const check = <T>(arbitrary: fc.Arbitrary<T>, run: (input: T) => Promise<void>) =>
    fc.assert(fc.asyncProperty(arbitrary, run), { numRuns: RUNS, seed: SEED, endOnFailure: true });

  /** Every answer below 500; every error RFC 7807 with the correlation id as `traceId`. */
  const expectWellAnswered = (response: HttpResponse, what: unknown) => {
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    expect({ what, status: response.status < 500 }).toEqual({ what, status: true });
    if (response.status < 400) return;
    expect({ what, type: response.headers.get('content-type') }).toEqual({
      what,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(response.body).toMatchObject({
      status: response.status,
      title: expect.any(String),
      detail: expect.any(String),
      traceId: response.headers.get('x-correlation-id'),
    });
  };

  /** Every event in the store, and the target case's revision. */
  const storeState = async () => {
    let count = 0;
    for await (const _ of t.store.readAll()) count++;
    const events = await t.streamEvents(caseId);
    return { count, revision: events.at(-1)?.revision };
  };

  /** A refused request leaves the store as it was; an accepted one may change it. */
  const refusedChangesNothing = async (send: () => Promise<HttpResponse>, what: unknown) => {
    const before = await storeState();
    const response = await send();
    expectWellAnswered(response, what);
    if (response.status >= 400)
      expect({ what, after: await storeState() }).toEqual({ what, after: before });
  };

  it('answers malformed command bodies with 4xx and appends nothing', () =>
    check(fc.tuple(commandRoute, oddBody), ([[method, action], body]) =>
      refusedChangesNothing(
        () => t.http.request(method, `/cases/${caseId}${action}`, undefined, { rawBody: body }),
        { method, action, body: body.slice(0, 300) },
      ),
    ));

  it('answers malformed create bodies with 4xx and creates nothing', () =>
    check(oddBody, (body) =>
      refusedChangesNothing(
        () => t.http.post('/cases', undefined, { rawBody: body }),
        body.slice(0, 300),
      ),
    ));

  it('answers odd headers on commands and reads without a 5xx', () =>
    check(fc.tuple(headerName, headerValue, commandRoute), ([name, value, [method, action]]) =>
      refusedChangesNothing(
        () =>
          t.http.request(method, `/cases/${caseId}${action}`, undefined, {
            rawBody: '{}',
            headers: { [name]: value },
          }),
        { name, value: value.slice(0, 100), method, action },
      ),
    ));

  it('answers any id in any route with 404 or another 4xx', () =>
    check(fc.tuple(idSegment, fc.constantFrom('', '/audit', '/complete')), ([id, action]) => {
      const path = action === '/complete' ? `/cases/${id}/complete` : `/cases/${id}${action}`;
      const method = action === '/complete' ? 'POST' : 'GET';
      return refusedChangesNothing(() => t.http.request(method, path, undefined), { method, path });
    }));

  it('answers any RQL query string without a 5xx', () =>
    check(rqlQuery, async (query) => {
      expectWellAnswered(await t.http.get(`/cases?${query}`), query);
    }));

  it('answers any feed position with an event stream or a 4xx problem', () =>
    check(fc.tuple(feedPosition, fc.boolean()), async ([position, inHeader]) => {
      const url = inHeader
        ? `${t.baseUrl}${BASE_PATH}/case-events`
        : `${t.baseUrl}${BASE_PATH}/case-events?after=${encodeURIComponent(position)}`;
      const abort = new AbortController();
      const response = await fetch(url, {
        signal: abort.signal,
        headers: {
          authorization: `Bearer ${t.tokens.operations}`,
          ...(inHeader ? { 'last-event-id': position } : {}),
        },
      });
      try {
        const type = response.headers.get('content-type') ?? '';
        if (response.status === 200) {
          expect(type).toMatch(/^text\/event-stream/);
          statuses.set(200, (statuses.get(200) ?? 0) + 1);
          return;
        }
        const text = await response.text();
        expectWellAnswered(
          { status: response.status, headers: response.headers, body: JSON.parse(text), text },
          { position, inHeader },
        );
      } finally {
        abort.abort();
      }
    }));
});
