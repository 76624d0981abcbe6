import { createServer } from 'node:net';
import { CaseEventStream } from '../../src/cases/application/case-event-stream';
import { CaseProjection } from '../../src/cases/projections/case-projection';
import { clientCaseBody, OTHER_QUEUE } from '../support/case.fixtures';
import { E2E_STORE, onStore } from './support/e2e-store';
import { startTestApp, type TestApp } from './support/test-app';

/** The value of one sample line, e.g. `case_commands_total{command="CreateCase",outcome="accepted"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        wanted.every((pair) => l.includes(pair)),
    );
  return line === undefined ? NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe(onStore('metrics'), () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  const scrape = async () => {
    const response = await t.http.get('/metrics', { as: null });
    expect(response.status).toBe(200);
    return response.text;
  };

  it('serves every documented metric in Prometheus text format, without a token', async () => {
    await t.http.post('/cases', clientCaseBody(), { as: 'client' });
    const response = await t.http.get('/metrics', { as: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const names = [
      'http_request_duration_seconds',
      'http_requests_in_flight',
      'case_commands_total',
      'event_store_append_duration_seconds',
      'event_store_errors_total',
      'read_model_lag_events',
      'read_model_lag_seconds',
      'case_event_feed_connections',
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      ...(E2E_STORE === 'sqlite' ? ['event_store_group_commit_appends'] : []),
    ];
    for (const name of names) expect(response.text).toContain(`# TYPE ${name} `);
    expect(
      sample(response.text, 'http_request_duration_seconds_count', {
        route: '/public/v1/helpdesk/cases',
        status_code: '201',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(response.text, 'event_store_append_duration_seconds_count')).toBeGreaterThan(0);
    if (E2E_STORE === 'sqlite') {
      expect(sample(response.text, 'event_store_group_commit_appends_count')).toBeGreaterThan(0);
    }
  });

  it('counts commands by type and outcome as they are sent', async () => {
    const count = (text: string, command: string, outcome: string) =>
      sample(text, 'case_commands_total', { command, outcome }) || 0;
    const before = await scrape();
    const created = await t.http.post('/cases', clientCaseBody(), { as: 'client' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE })).status).toBe(200);
    const stale = await t.http.post(
      `/cases/${id}/transfer`,
      { queue: OTHER_QUEUE },
      { headers: { 'If-Match': 'W/"1"' } },
    );
    expect(stale.status).toBe(412);
    const after = await scrape();

    expect(count(after, 'CreateCase', 'accepted') - count(before, 'CreateCase', 'accepted')).toBe(
      1,
    );
    expect(
      count(after, 'TransferCase', 'accepted') - count(before, 'TransferCase', 'accepted'),
    ).toBe(1);
    expect(count(after, 'TransferCase', '412') - count(before, 'TransferCase', '412')).toBe(1);
  });

  it('shows the read models falling behind and catching up', async () => {
    const projection = t.app.get(CaseProjection);
    await projection.stop();
    try {
      const created = await t.http.post('/cases', clientCaseBody(), { as: 'client' });
      expect(created.status).toBe(201);
      const behind = await scrape();
      expect(sample(behind, 'read_model_lag_events', { projection: 'cases' })).toBe(1);
      expect(sample(behind, 'read_model_lag_seconds', { projection: 'cases' })).toBeGreaterThan(0);
    } finally {
      await projection.start();
    }
    let caughtUp = NaN;
    for (let i = 0; i < 100 && caughtUp !== 0; i++) {
      caughtUp = sample(await scrape(), 'read_model_lag_events', { projection: 'cases' });
      if (caughtUp !== 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(caughtUp).toBe(0);
  });

  it('reads the lag once per scrape, for both lag gauges', async () => {
    const reads = jest.spyOn(t.app.get(CaseEventStream), 'pendingAfter');
    try {
      await scrape();

      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });
});

describe(onStore('metrics configuration'), () => {
  it('serves no /metrics when METRICS_ENABLED=false', async () => {
    const t = await startTestApp({ env: { METRICS_ENABLED: 'false' } });
    try {
      expect((await t.http.get('/metrics', { as: null })).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('serves /metrics on METRICS_PORT instead of the API port when one is set', async () => {
    const port = await freePort();
    const t = await startTestApp({ env: { METRICS_PORT: String(port) } });
    try {
      expect((await t.http.get('/metrics', { as: null })).status).toBe(404);
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('# TYPE case_commands_total counter');
    } finally {
      await t.close();
    }
  });
});
