import { startTestApp, type TestApp } from './support/test-app';
import { onStore } from './support/e2e-store';
import {
  ASSIGNEE,
  OTHER_QUEUE,
  QUEUE,
  VISIBLE_PARAMETER,
  clientCaseBody,
} from '../support/case.fixtures';

describe(onStore('case commands over HTTP'), () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const createCase = async (body: object = clientCaseBody()) => {
    const response = await t.http.post('/cases', body);
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const eventTypes = async (id: string) => (await t.streamEvents(id)).map((e) => e.type);

  describe('creating', () => {
    it('records the creation with its reporter, account, parameters and opening message', async () => {
      const id = await createCase(
        clientCaseBody({ assignee: ASSIGNEE, chat: { lastMessage: { content: 'Hello' } } }),
      );
      const [created] = await t.streamEvents(id);
      expect(created.type).toBe('CaseCreated');
      expect(created.revision).toBe(0n);
      expect(created.data).toMatchObject({
        caseId: id,
        queue: QUEUE,
        account: { id: 'ACC-2000-0000' },
        reporter: { id: 'USR-2000-0001', name: 'Jane Doe' },
        assignee: ASSIGNEE,
        openingMessage: 'Hello',
      });
    });

    it('defaults the reporter and the account to the caller, recording the actor in metadata', async () => {
      const created = await t.http.post(
        '/cases',
        { queue: QUEUE },
        { headers: { 'X-Correlation-Id': 'corr-123' } },
      );
      expect(created.body.reporter).toEqual({ id: 'USR-1000-0001', name: 'Olivia Operator' });
      expect(created.body.account).toEqual({ id: 'ACC-1000-0000', name: 'Helpdesk Operations' });
      expect(created.headers.get('x-correlation-id')).toBe('corr-123');
      const [event] = await t.streamEvents(created.body.id);
      expect(event.metadata).toMatchObject({
        schemaVersion: 3,
        occurredAt: expect.any(String),
        actor: {
          id: 'USR-1000-0001',
          name: 'Olivia Operator',
          accountId: 'ACC-1000-0000',
          accountType: 'operations',
        },
        $correlationId: 'corr-123',
        $causationId: expect.any(String),
      });
      // EventStoreDB's keys only: the pre-v2 names are not written any more.
      expect(event.metadata).not.toHaveProperty('correlationId');
      expect(event.metadata).not.toHaveProperty('causationId');
    });

    it('ignores read-only fields and lists them in $meta.ignored', async () => {
      const created = await t.http.post('/cases', {
        ...clientCaseBody(),
        id: 'CAS-1111-1111-1111',
        revision: 9,
        status: 'Completed',
        awaiting: true,
        audit: {},
        chat: { id: 'CHT-1111-1111-1111', type: 'case' },
      });
      expect(created.status).toBe(201);
      expect(created.body.$meta.ignored).toEqual([
        'id',
        'revision',
        'status',
        'audit',
        'awaiting',
        'chat.id',
        'chat.type',
      ]);
      expect(created.body).toMatchObject({ revision: 1, status: 'Processing', awaiting: false });
      expect(created.body.id).not.toBe('CAS-1111-1111-1111');
    });
  });

  describe('a PUT', () => {
    it('changes several things in one atomic append, in the order of the spec', async () => {
      const id = await createCase();
      const response = await t.http.put(`/cases/${id}`, {
        parameters: [{ ...VISIBLE_PARAMETER, value: 'Priority 2' }],
        awaiting: true,
        assignee: ASSIGNEE,
        queue: OTHER_QUEUE,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe('W/"5"');
      expect(response.body).toMatchObject({
        revision: 5,
        queue: OTHER_QUEUE,
        assignee: ASSIGNEE,
        awaiting: true,
      });
      const events = await t.streamEvents(id);
      expect(events.map((e) => e.type)).toEqual([
        'CaseCreated',
        'CaseTransferred',
        'CaseAssigned',
        'CaseAwaitingChanged',
        'CaseParametersChanged',
      ]);
      const appended = events.slice(1);
      expect(
        new Set(appended.map((e) => (e.metadata as { $causationId: string }).$causationId)).size,
      ).toBe(1);
    });

    it('ignores account, reporter and chat, and reports them', async () => {
      const id = await createCase();
      const response = await t.http.put(`/cases/${id}`, {
        account: { id: 'ACC-9999-9999' },
        reporter: { id: 'USR-9999-9999' },
        chat: { id: 'CHT-9999-9999-9999' },
      });
      expect(response.status).toBe(200);
      expect(response.body.$meta.ignored).toEqual(['chat', 'account', 'reporter']);
      expect(response.body.account.id).toBe('ACC-2000-0000');
      expect(await eventTypes(id)).toEqual(['CaseCreated']);
    });

    it('unassigns with assignee: null', async () => {
      const id = await createCase(clientCaseBody({ assignee: ASSIGNEE }));
      const response = await t.http.put(`/cases/${id}`, { assignee: null });
      expect(response.body.assignee).toBeNull();
      const events = await t.streamEvents(id);
      expect(events.at(-1)).toMatchObject({
        type: 'CaseUnassigned',
        data: { previousAssignee: ASSIGNEE },
      });
    });
  });

  describe('commands that change nothing', () => {
    it.each([
      ['a transfer to the same queue', 'transfer', { queue: QUEUE }],
      ['an assign of the same assignee', 'assign', { assignee: ASSIGNEE }],
    ])(
      '%s answers 200 with the unchanged case and appends nothing',
      async (_name, action, body) => {
        const id = await createCase(clientCaseBody({ assignee: ASSIGNEE }));
        const response = await t.http.post(`/cases/${id}/${action}`, body);
        expect(response.status).toBe(200);
        expect(response.body.revision).toBe(1);
        expect(response.headers.get('etag')).toBe('W/"1"');
        expect(await eventTypes(id)).toEqual(['CaseCreated']);
      },
    );

    it('a PUT of the same awaiting value and unchanged parameters appends nothing', async () => {
      const id = await createCase();
      const response = await t.http.put(`/cases/${id}`, {
        awaiting: false,
        parameters: [VISIBLE_PARAMETER],
      });
      expect(response.status).toBe(200);
      expect(response.body.revision).toBe(1);
      expect(await eventTypes(id)).toEqual(['CaseCreated']);
    });
  });
});
