import { clientCaseBody, HIDDEN_PARAMETER } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The event store's maximum append size (EventStoreDB's 1 MiB `MaxAppendSize`, applied by the
 * embedded store alike) answers 413 problem+json and appends nothing, on either store. The
 * body limit is raised so the body reaches the store: the store is what refuses it.
 */
describe(onStore('a command whose events exceed the maximum append size'), () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { BODY_LIMIT: String(4 * 1024 * 1024) } });
  });
  afterAll(async () => {
    await t.close();
  });

  const caseWithParameterOf = (bytes: number) =>
    clientCaseBody({ parameters: [{ ...HIDDEN_PARAMETER, value: 'x'.repeat(bytes) }] });

  const caseStreams = async () => {
    const streams = new Set<string>();
    for await (const event of t.store.readAll({ streamPrefix: 'case-' })) {
      streams.add(event.streamId);
    }
    return streams;
  };

  it('answers 413 for a 1.2 MB event and appends nothing', async () => {
    const before = await caseStreams();

    const response = await t.http.post('/cases', caseWithParameterOf(1_200_000));

    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      status: 413,
      title: 'Payload Too Large',
      detail: expect.stringContaining('maximum of 1048576 bytes per append'),
    });
    expect(await caseStreams()).toEqual(before);
  });

  it('stores a large case that stays under the limit', async () => {
    // A parameter value is personal data, stored sealed: base64url makes it 4/3 as large.
    const response = await t.http.post('/cases', caseWithParameterOf(700_000));

    expect(response.status).toBe(201);
    const [created] = await t.streamEvents(response.body.id);
    expect(created.type).toBe('CaseCreated');
  });
});
