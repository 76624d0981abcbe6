import { validateFeedEnvelope } from '../../src/cases/contract/case-event.schemas';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { CaseEventFeed } from '../../src/feed/case-event-feed';
import { SseConnection, eventually } from '../feed/sse-client';
import { ASSIGNEE, OTHER_QUEUE, clientCaseBody } from '../support/case.fixtures';
import { BASE_PATH as BASE } from '../../src/common/api-base-path';
import { startTestApp, type Caller, type TestApp } from './support/test-app';

describe('GET /case-events, the case event feed', () => {
  let t: TestApp;
  const open: SseConnection[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { SSE_HEARTBEAT_MS: '50' } });
  });
  afterEach(() => open.splice(0).forEach((c) => c.close()));
  afterAll(() => t.close());

  const follow = async (query = '', as: Caller | null = 'operations', headers = {}) => {
    const token = as === null ? undefined : t.tokens[as];
    const connection = await SseConnection.open(`${t.baseUrl}${BASE}/case-events${query}`, {
      token,
      headers,
    });
    open.push(connection);
    // The stream is endless: its status, headers and media type are checked, its body is not.
    const { response } = connection;
    await t.http.assertConforms('GET', `${BASE}/case-events${query}`, {
      status: response.status,
      headers: response.headers,
      text: response.ok ? undefined : await response.clone().text(),
    });
    return connection;
  };

  const stored = async (): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    for await (const event of t.store.readAll({ streamPrefix: 'case-' })) events.push(event);
    // Stored with personal fields sealed; the feed hands them out opened.
    return t.opened(events);
  };

  /** A case with three events: created, transferred, queried. */
  const caseWithHistory = async (): Promise<string> => {
    const { body } = await t.http.post('/cases', clientCaseBody());
    await t.http.post(`/cases/${body.id}/transfer`, { queue: OTHER_QUEUE });
    await t.http.post(`/cases/${body.id}/query`, { queryPrompt: 'Which plan?' });
    return body.id;
  };

  it('catches up from the first event, each message framed as the contract says', async () => {
    await caseWithHistory();
    const all = await stored();
    const feed = await follow();
    expect(feed.status).toBe(200);
    expect(feed.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(feed.response.headers.get('x-correlation-id')).toBeTruthy();
    await feed.waitForEvents(all.length);

    expect(feed.events.map((e) => e.id)).toEqual(all.map((e) => e.position.toString()));
    expect(feed.events.map((e) => e.event)).toEqual(all.map((e) => e.type));
    const first = all[0];
    expect(feed.envelopes()[0]).toEqual({
      eventId: first.id,
      type: first.type,
      streamId: first.streamId,
      caseId: first.streamId.slice('case-'.length),
      revision: '0',
      position: first.position.toString(),
      data: first.data,
      metadata: first.metadata,
      created: first.created.toISOString(),
    });
    for (const envelope of feed.envelopes()) expect(validateFeedEnvelope(envelope)).toEqual([]);
  });

  it('goes live after the catch-up, delivering a new command’s events in order', async () => {
    const id = await caseWithHistory();
    const before = (await stored()).length;
    const feed = await follow();
    await feed.waitForEvents(before);

    await t.http.put(`/cases/${id}`, { queue: { id: 'HQU-7777-0001' }, assignee: ASSIGNEE });
    await feed.waitForEvents(before + 2);

    const live = feed.envelopes().slice(before);
    expect(live.map((e) => [e.caseId, e.type, e.revision])).toEqual([
      [id, 'CaseTransferred', '3'],
      [id, 'CaseAssigned', '4'],
    ]);
    expect(feed.events.map((e) => e.id)).toEqual((await stored()).map((e) => String(e.position)));
  });

  it.each([
    ['Last-Event-ID', (last: string) => ['', { 'last-event-id': last }] as const],
    ['?after=', (last: string) => [`?after=${last}`, {}] as const],
  ])(
    'resumes with %s: every event exactly once, in order, across a disconnect',
    async (_, resume) => {
      await caseWithHistory();
      const first = await follow();
      await first.waitForEvents(2);
      first.close();
      await first.waitForEnd();
      const received = [...first.events];

      await caseWithHistory();
      const [query, headers] = resume(received.at(-1)!.id);
      const second = await follow(query, 'operations', headers);
      const all = await stored();
      await second.waitForEvents(all.length - received.length);

      const ids = [...received, ...second.events].map((e) => e.id);
      expect(ids).toEqual(all.map((e) => e.position.toString()));
    },
  );

  it('prefers Last-Event-ID to ?after= when both are given', async () => {
    await caseWithHistory();
    const all = await stored();
    const resumeAt = all.at(-2)!.position.toString();
    const feed = await follow('?after=0', 'operations', { 'last-event-id': resumeAt });
    await feed.waitForEvents(1);
    await feed.waitFor((c) => c.comments.length > 0, 'a heartbeat after the catch-up');
    expect(feed.events.map((e) => e.id)).toEqual([all.at(-1)!.position.toString()]);
  });

  it('filters by ?types=', async () => {
    await caseWithHistory();
    const wanted = (await stored()).filter((e) => ['CaseCreated', 'CaseQueried'].includes(e.type));
    const feed = await follow('?types=CaseCreated,CaseQueried');
    await feed.waitForEvents(wanted.length);
    await feed.waitFor((c) => c.comments.length > 0, 'a heartbeat after the catch-up');
    expect(feed.events.map((e) => [e.id, e.event])).toEqual(
      wanted.map((e) => [e.position.toString(), e.type]),
    );
  });

  it('sends heartbeat comments while idle', async () => {
    const head = (await stored()).at(-1)?.position ?? 0n;
    const feed = await follow(`?after=${head}`);
    await feed.waitFor((c) => c.comments.length >= 3, 'three heartbeats');
    expect(feed.events).toEqual([]);
    expect(new Set(feed.comments)).toEqual(new Set(['heartbeat']));
  });

  it('releases the subscription when the client disconnects', async () => {
    const feeds = t.app.get(CaseEventFeed);
    await eventually(() => feeds.openStreams === 0, 'earlier tests’ streams to be released');
    const feed = await follow();
    await eventually(() => feeds.openStreams === 1, 'the stream to be served');
    feed.close();
    await feed.waitForEnd();
    await eventually(() => feeds.openStreams === 0, 'the server to release it');
  });

  it.each<Caller>(['client', 'vendor'])(
    'refuses %s callers with 403 problem+json',
    async (caller) => {
      const feed = await follow('', caller);
      expect(feed.status).toBe(403);
      expect(feed.response.headers.get('content-type')).toContain('application/problem+json');
      expect(await feed.response.json()).toMatchObject({ status: 403, title: 'Forbidden' });
    },
  );

  it('answers 401 without a token', async () => {
    const feed = await follow('', null);
    expect(feed.status).toBe(401);
    expect(feed.response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it.each([
    ['?after=abc', {}, 'after'],
    ['?after=-1', {}, 'after'],
    ['', { 'last-event-id': 'nonsense' }, 'Last-Event-ID'],
    ['?types=CaseCreated,CaseDeleted', {}, 'types'],
    ['?types=', {}, 'types'],
  ])('answers 400 for %s %j', async (query, headers, field) => {
    const feed = await follow(query, 'operations', headers);
    expect(feed.status).toBe(400);
    const problem = (await feed.response.json()) as { errors: Record<string, string[]> };
    expect(problem).toMatchObject({ status: 400, title: 'One or more validation errors occurred' });
    expect(Object.keys(problem.errors)).toEqual([field]);
  });
});

describe('GET /case-events during shutdown', () => {
  it('ends open streams so the application can close', async () => {
    const t = await startTestApp({ env: { SSE_HEARTBEAT_MS: '60000' } });
    const feed = await SseConnection.open(`${t.baseUrl}${BASE}/case-events`, {
      token: t.tokens.operations,
    });
    await eventually(() => t.app.get(CaseEventFeed).openStreams === 1, 'the stream to be served');
    await t.close();
    await feed.waitForEnd(5_000);
    expect(feed.ended).toBe(true);
  });
});
