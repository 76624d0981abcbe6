import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../../src/app.factory';
import { loadConfig } from '../../../src/config/app.config';
import type { EdgeOverrides } from '../../../src/config/config.module';
import { EventStore, type RecordedEvent } from '../../../src/event-store/event-store.port';
import { DEV_PRINCIPALS } from '../../../src/identity/dev-tokens';
import { claimsOf, type Principal } from '../../../src/identity/principal';
import { mintToken } from '../../../src/identity/token-minter';
import { releaseStore, storeEnv } from './e2e-store';
import { HttpClient } from './http-client';

export const TEST_SECRET = 'e2e-test-secret-that-is-long-enough-for-hs256';

/** A second client account, to prove that nothing crosses from one account to another. */
export const OTHER_CLIENT: Principal = {
  id: 'USR-4000-0001',
  name: 'Otto Other',
  accountId: 'ACC-4000-0000',
  accountName: 'Other Corp',
  accountType: 'client',
};

export const CALLERS = { ...DEV_PRINCIPALS, otherClient: OTHER_CLIENT } as const;
export type Caller = keyof typeof CALLERS;

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly baseUrl: string;
  readonly dataDir: string;
  readonly store: EventStore;
  readonly http: HttpClient;
  readonly tokens: Record<Caller, string>;
  /** Every event of one case stream, as stored. */
  streamEvents(caseId: string): Promise<RecordedEvent[]>;
  close(options?: { keepData?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  overrides?: EdgeOverrides;
  /** Reuse a data directory, e.g. to restart on the same store. */
  dataDir?: string;
}

/** The real service on a real port with a real store, as another service would call it. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'case-e2e-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...(await storeEnv(dataDir)),
    ...options.env,
  });
  const app = await createApp(config, options.overrides);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const store = app.get(EventStore);
  const tokens = Object.fromEntries(
    await Promise.all(
      Object.entries(CALLERS).map(async ([caller, principal]) => [
        caller,
        await mintToken(claimsOf(principal), {
          secret: new TextEncoder().encode(TEST_SECRET),
          expiresInSeconds: 3600,
        }),
      ]),
    ),
  ) as Record<Caller, string>;
  return {
    app,
    baseUrl,
    dataDir,
    store,
    tokens,
    http: new HttpClient(baseUrl, tokens),
    async streamEvents(caseId) {
      const events: RecordedEvent[] = [];
      for await (const event of store.readStream(`case-${caseId}`)) events.push(event);
      return events;
    },
    async close({ keepData = false } = {}) {
      await app.close();
      if (keepData) return;
      await releaseStore(dataDir);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
