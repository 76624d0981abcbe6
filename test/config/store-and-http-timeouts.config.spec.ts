import { ConfigError, loadConfig } from '../../src/config/app.config';

/** The settings of the store deadlines, the append size limit and the HTTP timeouts. */
describe('loadConfig: store and HTTP timeouts', () => {
  const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
  const load = (env: NodeJS.ProcessEnv) => loadConfig({ JWT_SECRET: SECRET, ...env });

  it('defaults to a 10 s store timeout, a 1 MiB append limit and 30 s HTTP timeouts', () => {
    expect(load({})).toMatchObject({
      esdbTimeoutMs: 10_000,
      maxAppendSize: 1_048_576,
      httpRequestTimeoutMs: 30_000,
      httpConnectionTimeoutMs: 30_000,
    });
  });

  it('stretches the default connection timeout past a long heartbeat or store timeout', () => {
    expect(load({ SSE_HEARTBEAT_MS: '60000' }).httpConnectionTimeoutMs).toBe(120_000);
    expect(load({ EVENTSTORE_TIMEOUT_MS: '20000' }).httpConnectionTimeoutMs).toBe(40_000);
  });

  it.each<[string, NodeJS.ProcessEnv, RegExp]>([
    [
      'a connection timeout no longer than the heartbeat',
      { HTTP_CONNECTION_TIMEOUT_MS: '15000' },
      /HTTP_CONNECTION_TIMEOUT_MS must be longer than SSE_HEARTBEAT_MS and EVENTSTORE_TIMEOUT_MS/,
    ],
    ['a store timeout under 100 ms', { EVENTSTORE_TIMEOUT_MS: '50' }, /EVENTSTORE_TIMEOUT_MS/],
    ['an append limit under 1 KiB', { MAX_APPEND_SIZE: '10' }, /MAX_APPEND_SIZE/],
  ])('refuses %s', (_, env, problem) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(problem);
  });
});
