import { StoreUnavailable } from '../../src/event-store/event-store.errors';
import type { EventStore } from '../../src/event-store/event-store.port';
import { onStore } from './support/e2e-store';
import { clientCaseBody } from '../support/case.fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** Lets a test take the store down and bring it back, as an outage would. */
class StoreOutage {
  down = false;
  wrap = (store: EventStore): EventStore => {
    const guard =
      <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        if (this.down) throw new StoreUnavailable('The event store did not answer.');
        return call(...args);
      };
    store.appendToStream = guard(store.appendToStream.bind(store));
    store.checkHealth = guard(store.checkHealth.bind(store));
    return store;
  };
}

describe(onStore('health and API description'), () => {
  const outage = new StoreOutage();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ overrides: { wrapEventStore: outage.wrap } });
  });
  afterAll(() => t.close());
  afterEach(() => {
    outage.down = false;
  });

  it('answers live and ready without a token, in terminus shape', async () => {
    const live = await t.http.get('/health/live', { as: null });
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    const ready = await t.http.get('/health/ready', { as: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', error: {} });
    expect(ready.body.info).toMatchObject({
      eventStore: { status: 'up' },
      'projection:cases': { status: 'up' },
      readModels: { status: 'up', lagEvents: 0, maxLagEvents: 10_000 },
    });
    expect(ready.body.details).toEqual(ready.body.info);
  });

  it('is not ready while the store is down, naming it, and recovers by itself', async () => {
    outage.down = true;
    const ready = await t.http.get('/health/ready', { as: null });
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    expect(ready.body.status).toBe('error');
    expect(ready.body.error).toEqual({
      eventStore: { status: 'down', message: 'The event store did not answer.' },
    });
    expect(ready.body.details.eventStore.status).toBe('down');
    outage.down = false;
    const again = await t.http.get('/health/ready', { as: null });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('ok');
  });

  it('answers commands with 503 and Retry-After while the store is down, appending nothing', async () => {
    const id = (await t.http.post('/cases', clientCaseBody())).body.id;
    outage.down = true;
    const response = await t.http.post(`/cases/${id}/complete`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    outage.down = false;
    expect((await t.streamEvents(id)).map((e) => e.type)).toEqual(['CaseCreated']);
    expect((await t.http.post(`/cases/${id}/complete`)).status).toBe(200);
  });

  it('serves the OpenAPI description and its UI without a token', async () => {
    const description = await t.http.get('/docs/openapi.json', { as: null });
    expect(description.status).toBe(200);
    expect(description.body.openapi).toMatch(/^3\./);
    const routes = Object.entries(description.body.paths as Record<string, object>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /public/v1/helpdesk/cases',
        'GET /public/v1/helpdesk/cases/{id}',
        'PUT /public/v1/helpdesk/cases/{id}',
        'GET /public/v1/helpdesk/cases/{id}/audit',
        ...['query', 'process', 'complete', 'transfer', 'assign'].map(
          (action) => `POST /public/v1/helpdesk/cases/{id}/${action}`,
        ),
        'GET /health/live',
        'GET /health/ready',
      ]),
    );
    const put = description.body.paths['/public/v1/helpdesk/cases/{id}'].put;
    expect(put.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['id', 'If-Match', 'Idempotency-Key']),
    );
    expect(Object.keys(put.responses)).toEqual(
      expect.arrayContaining([
        '200',
        '400',
        '401',
        '403',
        '404',
        '409',
        '412',
        '413',
        '415',
        '422',
        '503',
      ]),
    );
    const ui = await t.http.get('/docs', { as: null });
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui-init.js', 'swagger-ui.css']) {
      expect(ui.text).toContain(asset);
      const served = await t.http.get(`/docs/${asset}`, { as: null });
      expect([asset, served.status]).toEqual([asset, 200]);
    }
    expect((await t.http.get('/docs/package.json', { as: null })).status).toBe(404);
    expect((await t.http.get('/docs/..%2Fpackage.json', { as: null })).status).toBe(404);
  });
});
