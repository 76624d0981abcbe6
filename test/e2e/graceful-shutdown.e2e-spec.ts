import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BASE_PATH } from '../../src/common/api-base-path';
import { DEV_PRINCIPALS } from '../../src/identity/dev-tokens';
import { claimsOf } from '../../src/identity/principal';
import { mintToken } from '../../src/identity/token-minter';
import { clientCaseBody } from '../support/case.fixtures';
import { describeEmbeddedOnly } from './support/e2e-store';
import { call, type Outcome } from './support/request-outcomes';
import { spawnService, type ServiceProcess } from './support/service-process';
import { TEST_SECRET } from './support/test-app';

const WRITERS = 12;

/**
 * SIGTERM under load, on the real process: every request gets a complete answer (its result,
 * or 503 with Retry-After once draining) or a refused connection, never a reset; and every
 * create that was answered 201 is there after a restart.
 */
describeEmbeddedOnly('graceful shutdown', () => {
  jest.setTimeout(120_000);
  let dataDir: string;
  let service: ServiceProcess | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'case-shutdown-'));
  });
  afterEach(async () => {
    await service?.kill('SIGKILL');
    service = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    JWT_SECRET: TEST_SECRET,
    SHUTDOWN_DRAIN_MS: '500',
    LOG_LEVEL: 'info',
  });

  it('answers or refuses every request sent around SIGTERM, on keep-alive and new connections', async () => {
    service = await spawnService(env());
    const { baseUrl } = service;
    const token = await mintToken(claimsOf(DEV_PRINCIPALS.operations), {
      secret: new TextEncoder().encode(TEST_SECRET),
      expiresInSeconds: 600,
    });
    const outcomes: Outcome[] = [];
    const created: string[] = [];

    /** Creates and reads cases until the server refuses connections, honouring Retry-After. */
    const writer = async (keepAlive: boolean) => {
      const agent = keepAlive ? new Agent({ keepAlive: true, maxSockets: 1 }) : undefined;
      const deadline = Date.now() + 30_000;
      try {
        while (Date.now() < deadline) {
          const create = await call(baseUrl, {
            method: 'POST',
            path: `${BASE_PATH}/cases`,
            token,
            body: clientCaseBody(),
            agent,
          });
          outcomes.push(create);
          if (create.kind !== 'answered') return;
          if (create.status === 503) {
            await delay(Number(create.headers['retry-after']) * 1000);
            continue;
          }
          const { id } = JSON.parse(create.body) as { id: string };
          created.push(id);
          const read = await call(baseUrl, {
            method: 'GET',
            path: `${BASE_PATH}/cases/${id}`,
            token,
            agent,
          });
          outcomes.push(read);
          if (read.kind !== 'answered') return;
        }
      } finally {
        agent?.destroy();
      }
    };

    const writers = Array.from({ length: WRITERS }, (_, i) => writer(i % 2 === 0));
    await delay(700);
    const exited = service.kill('SIGTERM');
    await Promise.all(writers);

    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(outcomes.filter((o) => o.kind === 'broken')).toEqual([]);
    const answered = outcomes.filter((o) => o.kind === 'answered');
    expect(new Set(answered.map((o) => o.status))).toEqual(new Set([200, 201, 503]));
    for (const unavailable of answered.filter((o) => o.status === 503)) {
      expect(unavailable.headers['retry-after']).toBe('1');
      expect(unavailable.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(unavailable.headers.connection).toBe('close');
    }
    // Each writer stops only on a refused connection (or a failure, asserted above).
    expect(outcomes.filter((o) => o.kind === 'refused')).toHaveLength(WRITERS);

    service = await spawnService(env());
    const restarted = service.baseUrl;
    for (const id of created) {
      const read = await call(restarted, {
        method: 'GET',
        path: `${BASE_PATH}/cases/${id}`,
        token,
      });
      expect(read).toMatchObject({ kind: 'answered', status: 200 });
    }
  });
});
