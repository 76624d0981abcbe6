import { resolve } from 'node:path';
import { loadConfig } from '../../src/config/app.config';
import { loadAuditConfig } from '../../src/config/audit.config';
import { ConfigError } from '../../src/config/environment';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('the service configuration', () => {
  it('given nothing, runs on the embedded store in ./data with the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: '0.0.0.0',
      port: 3000,
      eventStore: 'sqlite',
      dataDir: resolve('./data'),
      logLevel: 'info',
      bodyLimit: 1024 * 1024,
      commandRetries: 5,
      metrics: { enabled: true, port: 0 },
      readiness: { maxLagEvents: 10_000, maxLagSeconds: 30 },
    });
    expect(config.identity.devMode).toBe(true);
  });

  it('given blank and padded values, treats blanks as unset and trims the rest', () => {
    const config = loadConfig({ PORT: ' 8080 ', LOG_LEVEL: '', JWT_SECRET: '  ' });
    expect(config.port).toBe(8080);
    expect(config.logLevel).toBe('info');
  });

  it('given several bad values, lists every problem at once', () => {
    const problems = problemsOf(() =>
      loadConfig({
        PORT: 'eighty',
        EVENT_STORE: 'postgres',
        LOG_LEVEL: 'loud',
        METRICS_ENABLED: 'maybe',
        COMMAND_RETRIES: '51',
        JWT_SECRET: 'short',
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT must be a whole number from 0 to 65535, got "eighty"',
        'EVENT_STORE must be one of sqlite, esdb, got "postgres"',
        expect.stringMatching(/^LOG_LEVEL must be one of fatal, error/),
        expect.stringMatching(/^METRICS_ENABLED must be one of true, false/),
        'COMMAND_RETRIES must be a whole number from 0 to 50, got "51"',
        expect.stringMatching(/^JWT_SECRET must be at least 32 bytes/),
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('given EVENT_STORE=esdb without a connection string, says what to set', () => {
    expect(problemsOf(() => loadConfig({ EVENT_STORE: 'esdb', JWT_SECRET: SECRET }))).toEqual([
      expect.stringMatching(/EVENT_STORE=esdb needs EVENTSTORE_CONNECTION_STRING/),
    ]);
  });
});

describe('the audit CLI configuration', () => {
  it('reads the store variables with the service schema and ignores the JWT ones', () => {
    expect(
      loadAuditConfig({
        EVENT_STORE: 'esdb',
        EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
        JWT_SECRET: 'short',
        NODE_ENV: 'production',
      }),
    ).toEqual({
      eventStore: 'esdb',
      dataDir: resolve('./data'),
      esdbConnectionString: 'esdb://localhost:2113?tls=false',
      nodeEnv: 'production',
      storeTimeoutMs: 5000,
    });
  });

  it('fails with the same words as the service, every problem listed', () => {
    expect(
      problemsOf(() =>
        loadAuditConfig({
          EVENT_STORE: 'mysql',
          EVENTSTORE_CONNECTION_STRING: 'http://x',
          AUDIT_STORE_TIMEOUT_MS: '5',
        }),
      ).sort(),
    ).toEqual([
      'AUDIT_STORE_TIMEOUT_MS must be a whole number from 100 to 600000, got "5"',
      'EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover://',
      'EVENT_STORE must be one of sqlite, esdb, got "mysql"',
    ]);
  });
});
