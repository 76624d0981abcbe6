import type { EventStore } from '../../src/event-store/event-store.port';
import { clientCaseBody } from '../support/case.fixtures';
import { describeEmbeddedOnly } from './support/e2e-store';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The last line of defence: whatever a request waits for, the server's connection timeout
 * (`HTTP_CONNECTION_TIMEOUT_MS`) closes a socket that stays silent, so no request hangs forever.
 * The store here never answers an append, which no store deadline bounds.
 */
describeEmbeddedOnly('the HTTP connection timeout', () => {
  let t: TestApp;
  const CONNECTION_TIMEOUT_MS = 1_000;
  beforeAll(async () => {
    const hangingAppends = (store: EventStore): EventStore =>
      new Proxy(store, {
        get: (target, property, receiver) =>
          property === 'appendToStream'
            ? () => new Promise(() => undefined)
            : (Reflect.get(target, property, receiver) as unknown),
      });
    t = await startTestApp({
      env: {
        HTTP_CONNECTION_TIMEOUT_MS: String(CONNECTION_TIMEOUT_MS),
        SSE_HEARTBEAT_MS: '100',
        EVENTSTORE_TIMEOUT_MS: '500',
      },
      overrides: { wrapEventStore: hangingAppends },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('closes the connection of a request whose handler never answers', async () => {
    const started = Date.now();

    await expect(t.http.post('/cases', clientCaseBody())).rejects.toThrow();

    // Not a speed target: proof that the request ended instead of hanging.
    expect(Date.now() - started).toBeLessThan(CONNECTION_TIMEOUT_MS * 10);
  });

  it('keeps answering other requests meanwhile', async () => {
    expect((await t.http.get('/health/live', { as: null })).status).toBe(200);
  });
});
