import { randomUUID } from 'node:crypto';
import { ASSIGNEE, OTHER_ASSIGNEE, clientCaseBody } from '../support/case.fixtures';
import { projectionCaughtUp } from './support/projection';
import { CALLERS, startTestApp, type TestApp } from './support/test-app';

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

  it('lists the reporter and each assignee once, with the time each first joined', async () => {
    const at = (await t.streamEvents(caseId)).map(
      (e) => (e.metadata as { occurredAt: string }).occurredAt,
    );
    const answer = await participants(chatId);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([
      { identity: clientCaseBody().reporter, role: 'Reporter', audit: { created: { at: at[0] } } },
      { identity: ASSIGNEE, role: 'Assignee', audit: { created: { at: at[1] } } },
      { identity: OTHER_ASSIGNEE, role: 'Assignee', audit: { created: { at: at[2] } } },
    ]);
  });

  it("answers a client for its own account's chat, and 404 for another account's", async () => {
    expect((await participants(chatId, 'client')).body).toHaveLength(3);
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
