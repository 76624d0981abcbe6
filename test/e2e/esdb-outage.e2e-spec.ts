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
    beforeAll(async () => {
      server = await startEsdbTestServer();
      t = await startTestApp({
        env: { EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: server.connectionString },
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
      expect(command.body.title).toBe('Event store unavailable');

      server = await startEsdbTestServer({ port, log });
      await eventually(
        async () => (await t.http.get('/health/ready', { as: null })).status === 200,
      );
      const retried = await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });
      expect(retried.status).toBe(200);
      expect((await t.streamEvents(id)).map((e) => e.type)).toEqual([
        'CaseCreated',
        'CaseTransferred',
      ]);
    });
  },
);
