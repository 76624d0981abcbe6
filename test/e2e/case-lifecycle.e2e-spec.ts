import { startTestApp, type TestApp } from './support/test-app';
import { ASSIGNEE, OTHER_QUEUE, QUEUE, clientCaseBody } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';

describe(onStore('a case through its whole life over HTTP'), () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is created, transferred, assigned, queried, processed and completed, each step appended', async () => {
    const created = await t.http.post(
      '/cases',
      clientCaseBody({ chat: { lastMessage: { content: 'Help!' } } }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(id).toMatch(/^CAS-\d{4}-\d{4}-\d{4}$/);
    expect(created.headers.get('location')).toBe(`/public/v1/helpdesk/cases/${id}`);
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(created.body).toMatchObject({
      revision: 1,
      status: 'Processing',
      awaiting: false,
      queue: QUEUE,
      assignee: null,
    });
    expect(created.body.chat).toEqual({
      id: expect.stringMatching(/^CHT-\d{4}-\d{4}-\d{4}$/),
      type: 'case',
    });

    const steps: Array<[string, unknown, string, string]> = [
      ['transfer', { queue: OTHER_QUEUE }, 'CaseTransferred', 'Processing'],
      ['assign', { assignee: ASSIGNEE }, 'CaseAssigned', 'Processing'],
      ['query', { queryPrompt: 'Please fill in the form.' }, 'CaseQueried', 'Querying'],
      ['process', undefined, 'CaseResumed', 'Processing'],
      ['complete', undefined, 'CaseCompleted', 'Completed'],
    ];
    for (const [index, [action, body, eventType, status]] of steps.entries()) {
      const response = await t.http.post(`/cases/${id}/${action}`, body);
      expect({ action, status: response.status }).toEqual({ action, status: 200 });
      expect(response.body.status).toBe(status);
      expect(response.headers.get('etag')).toBe(`W/"${index + 2}"`);
      const events = await t.streamEvents(id);
      expect(events.map((e) => e.type).at(-1)).toBe(eventType);
      expect(events).toHaveLength(index + 2);
    }
    const events = await t.streamEvents(id);
    expect(events.map((e) => e.type)).toEqual([
      'CaseCreated',
      'CaseTransferred',
      'CaseAssigned',
      'CaseQueried',
      'CaseResumed',
      'CaseCompleted',
    ]);
  });
});
