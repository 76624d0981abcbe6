import { DEFAULT_USERS } from '../esdb/esdb.access';
import { startEsdbTestServer, type EsdbTestServer } from '../esdb/esdb.test-server';
import { E2E_STORE } from './support/e2e-store';
import { clientCaseBody, OTHER_QUEUE } from '../support/case.fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The whole service on EventStoreDB while the server goes away and comes back: readiness and
 * commands answer 503 with Retry-After meanwhile, and it recovers on its own.
 */
// It brings its own server, so one run is enough: the e2e-esdb project skips it.
(E2E_STORE === 'esdb' ? describe.skip : describe)(
  'esdb: the service through a store outage',
  () => {
    let server: EsdbTestServer;
    let t: TestApp;
    /** Small, so the freeze test is quick; production's default is 10 s. */
    const STORE_TIMEOUT_MS = 500;
    beforeAll(async () => {
      server = await startEsdbTestServer();
      t = await startTestApp({
        env: {
          EVENT_STORE: 'esdb',
          EVENTSTORE_CONNECTION_STRING: server.connectionString,
          EVENTSTORE_TIMEOUT_MS: String(STORE_TIMEOUT_MS),
        },
      });
    });
    afterAll(async () => {
      await t.close();
      await server.stop();
    });

    const eventually = async (check: () => Promise<boolean>) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        if (await check()) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('condition not reached within 100 attempts');
    };

    /** Ready again without a restart, and the command that failed now succeeds once. */
    const recoversAndTransfers = async (id: string) => {
      await eventually(
        async () => (await t.http.get('/health/ready', { as: null })).status === 200,
      );
      const retried = await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });
      expect(retried.status).toBe(200);
      expect((await t.streamEvents(id)).map((e) => e.type)).toEqual([
        'CaseCreated',
        'CaseTransferred',
      ]);
    };

    it('answers 503 with Retry-After while the server is down, then recovers by itself', async () => {
      const id = (await t.http.post('/cases', clientCaseBody())).body.id;
      const { port, log } = server;
      await server.stop();

      const ready = await t.http.get('/health/ready', { as: null });
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('error');
      expect(ready.body.error.eventStore).toMatchObject({ status: 'down' });
      const command = await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });
      expect(command.status).toBe(503);
      expect(command.headers.get('retry-after')).toBe('5');
      expect(command.body.title).toBe('Service Unavailable');

      server = await startEsdbTestServer({ port, log });
      await recoversAndTransfers(id);
    });

    it('answers 503 within the store timeout while the server is frozen, then recovers by itself', async () => {
      const id = (await t.http.post('/cases', clientCaseBody())).body.id;
      server.freeze();
      try {
        const started = Date.now();
        const command = await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });
        const elapsed = Date.now() - started;
        expect(command.status).toBe(503);
        expect(command.headers.get('retry-after')).toBe('5');
        expect(command.headers.get('content-type')).toContain('application/problem+json');
        // Not a speed target: proof that the command does not hang (bound plus a re-read).
        expect(elapsed).toBeLessThan(STORE_TIMEOUT_MS * 10);
        expect((await t.http.get('/health/ready', { as: null })).status).toBe(503);
      } finally {
        server.thaw();
      }

      await recoversAndTransfers(id);
    });
  },
);

(E2E_STORE === 'esdb' ? describe.skip : describe)('esdb: a secure server refusing access', () => {
  let server: EsdbTestServer;
  beforeAll(async () => {
    server = await startEsdbTestServer({ users: DEFAULT_USERS });
  });
  afterAll(async () => {
    await server.stop();
  });

  // The user may still write case streams; a wrong password can do nothing at all.
  it.each([
    ['a user without read access to $all', 'ops', /user "ops" needs read access to \$all/, 201],
    [
      'a wrong password',
      'wrong',
      /refused the credentials .* \(wrong user name or password\)/,
      503,
    ],
  ])('says so in /health/ready and never answers 500, for %s', async (_, who, says, created) => {
    const connectionString =
      who === 'ops'
        ? server.connectionStringAs('ops', 'changeit')
        : server.connectionStringAs('admin', 'wrong');
    const t = await startTestApp({
      env: { EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: connectionString },
    });
    try {
      const ready = await t.http.get('/health/ready', { as: null });
      expect(ready.status).toBe(503);
      expect(ready.body.error.eventStore).toMatchObject({
        status: 'down',
        message: expect.stringMatching(says),
      });

      const command = await t.http.post('/cases', clientCaseBody());
      expect(command.status).toBe(created);
      if (created === 503) {
        expect(command.body).toMatchObject({
          title: 'Service Unavailable',
          detail: expect.stringMatching(says),
        });
      }
    } finally {
      await t.close();
    }
  });
});

(E2E_STORE === 'esdb' ? describe.skip : describe)(
  'esdb: an older server without BatchAppend',
  () => {
    it('serves commands over the plain Append path', async () => {
      const server = await startEsdbTestServer({ appendMode: 'plain' });
      const t = await startTestApp({
        env: { EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: server.connectionString },
      });
      try {
        const id = (await t.http.post('/cases', clientCaseBody())).body.id;
        const moved = await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });
        expect(moved.status).toBe(200);
        expect((await t.streamEvents(id)).map((e) => e.type)).toEqual([
          'CaseCreated',
          'CaseTransferred',
        ]);
        expect(server.calls).toMatchObject({ batchAppend: 0, append: 2 });
      } finally {
        await t.close();
        await server.stop();
      }
    });
  },
);
