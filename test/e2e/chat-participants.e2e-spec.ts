import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { READ_MODELS_FILE_NAME } from '../../src/cases/projections/read-models.schema';
import { ASSIGNEE, OTHER_ASSIGNEE, clientCaseBody } from '../support/case.fixtures';
import { projectionCaughtUp } from './support/projection';
import { CALLERS, startTestApp, type TestApp } from './support/test-app';

const CHP_ID = /^CHP-\d{4}-\d{4}-\d{4}$/;
const ids = (body: { data: { id: string }[] }) => body.data.map((p) => p.id);

describe('GET /chats/{chatId}/participants', () => {
  let t: TestApp;
  let caseId: string;
  let chatId: string;
  let otherChatId: string;
  const participants = (chat: string, as: keyof typeof CALLERS = 'operations') =>
    t.http.get(`/chats/${chat}/participants`, { as });

  beforeAll(async () => {
    t = await startTestApp();
    const created = await t.http.post('/cases', clientCaseBody());
    caseId = created.body.id;
    chatId = created.body.chat.id;
    await t.http.post(`/cases/${caseId}/assign`, { assignee: ASSIGNEE });
    await t.http.post(`/cases/${caseId}/assign`, { assignee: OTHER_ASSIGNEE });
    await t.http.post(`/cases/${caseId}/assign`, { assignee: ASSIGNEE });
    const other = CALLERS.otherClient;
    const otherCase = await t.http.post(
      '/cases',
      clientCaseBody({
        account: { id: other.accountId, name: other.accountName },
        reporter: { id: other.id, name: other.name },
      }),
    );
    otherChatId = otherCase.body.chat.id;
    await projectionCaughtUp(t);
  });
  afterAll(() => t.close());

  it('lists the reporter and each assignee once in the collection envelope, with stable ids', async () => {
    const at = (await t.streamEvents(caseId)).map(
      (e) => (e.metadata as { occurredAt: string }).occurredAt,
    );
    const answer = await participants(chatId);
    expect(answer.status).toBe(200);
    expect(answer.body.$meta).toEqual({ pagination: { offset: 0, limit: 10, total: 3 } });
    expect(answer.body.data).toEqual([
      {
        id: expect.stringMatching(CHP_ID) as string,
        identity: clientCaseBody().reporter,
        role: 'Reporter',
        audit: { created: { at: at[0] } },
      },
      {
        id: expect.stringMatching(CHP_ID) as string,
        identity: ASSIGNEE,
        role: 'Assignee',
        audit: { created: { at: at[1] } },
      },
      {
        id: expect.stringMatching(CHP_ID) as string,
        identity: OTHER_ASSIGNEE,
        role: 'Assignee',
        audit: { created: { at: at[2] } },
      },
    ]);
    expect(new Set(ids(answer.body)).size).toBe(3);
  });

  it('pages with limit and offset and orders with RQL order', async () => {
    const all = ids((await participants(chatId)).body);
    const page = await t.http.get(`/chats/${chatId}/participants?limit=1&offset=1`);
    expect(page.body).toEqual({
      $meta: { pagination: { offset: 1, limit: 1, total: 3 } },
      data: [expect.objectContaining({ id: all[1] })],
    });
    const newest = await t.http.get(`/chats/${chatId}/participants?order=-audit.created.at`);
    expect(ids(newest.body)).toEqual([...all].reverse());
    const byRole = await t.http.get(`/chats/${chatId}/participants?order=-role,audit.created.at`);
    expect(byRole.body.data.map((p: { role: string }) => p.role)).toEqual([
      'Reporter',
      'Assignee',
      'Assignee',
    ]);
    const selected = await t.http.get(`/chats/${chatId}/participants?select=id,role&limit=1`);
    expect(selected.body.data).toEqual([{ id: all[0], role: 'Reporter' }]);
  });

  it.each([
    ['eq(role,Reporter)', 'participants take only order, limit, offset and select'],
    ['order=colour', 'participants cannot be ordered by "colour"'],
    ['limit=0', 'limit must be a whole number from 1 to 1000'],
    ['select=colour', 'unknown field "colour"'],
  ])('refuses %s with a 400', async (query, detail) => {
    const answer = await t.http.get(`/chats/${chatId}/participants?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.detail).toContain(detail);
  });

  it('reads one participant by id, and 404s for an unknown one or a foreign chat', async () => {
    const [, assignee] = (await participants(chatId)).body.data;
    const one = await t.http.get(`/chats/${chatId}/participants/${assignee.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(assignee);
    const unknown = await t.http.get(`/chats/${chatId}/participants/CHP-0000-0000-0000`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    const foreign = await t.http.get(`/chats/${chatId}/participants/${assignee.id}`, {
      as: 'otherClient',
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toBe(`Chat ${chatId} not found.`);
  });

  it("answers a client for its own account's chat, and 404 for another account's", async () => {
    expect((await participants(chatId, 'client')).body.data).toHaveLength(3);
    const foreign = await participants(chatId, 'otherClient');
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toBe(`Chat ${chatId} not found.`);
    expect((await participants(otherChatId, 'client')).status).toBe(404);
    expect((await participants(otherChatId, 'otherClient')).status).toBe(200);
  });

  it.each(['CHT-0000-0000-0000', 'nonsense'])('answers 404 for an unknown chat %s', async (id) => {
    const answer = await participants(id);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });

  it('gives the same participant ids after a restart that replays every event', async () => {
    const before = (await participants(chatId)).body;
    const { dataDir } = t;
    await t.close({ keepData: true });
    // Without the read models the service rebuilds them from the events alone.
    rmSync(join(dataDir, READ_MODELS_FILE_NAME), { force: true });
    t = await startTestApp({ dataDir });
    await projectionCaughtUp(t);
    expect((await participants(chatId)).body).toEqual(before);
  });
});

describe('a case event the read models cannot apply', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('stops the projection and fails /health/ready, naming it', async () => {
    expect((await t.http.get('/health/ready')).status).toBe(200);
    await t.store.appendToStream(
      'case-CAS-9999-9999-9999',
      [{ id: randomUUID(), type: 'CaseResumed', data: {}, metadata: {} }],
      { expectedRevision: 'no_stream' },
    );
    await expect(projectionCaughtUp(t)).rejects.toThrow(/has no CaseCreated before this event/);

    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('error');
    expect(Object.keys(ready.body.error)).toEqual(['projection:cases']);
    expect(ready.body.error['projection:cases'].message).toContain('case-CAS-9999-9999-9999');
  });
});
