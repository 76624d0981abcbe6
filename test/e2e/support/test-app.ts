import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../../src/app.factory';
import { loadConfig } from '../../../src/config/app.config';
import type { EdgeOverrides } from '../../../src/config/config.module';
import { EventStore, type RecordedEvent } from '../../../src/event-store/event-store.port';
import { openedEvents } from '../../support/opened-events';
import { callerTokens, TEST_SECRET, type Caller } from '../../support/callers';
import { releaseStore, storeEnv } from './e2e-store';
import { HttpClient } from './http-client';

export { CALLERS, OTHER_CLIENT, TEST_SECRET, type Caller } from '../../support/callers';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly baseUrl: string;
  readonly dataDir: string;
  readonly store: EventStore;
  readonly http: HttpClient;
  readonly tokens: Record<Caller, string>;
  /** Every event of one case stream, as stored but with its personal-data envelopes opened. */
  streamEvents(caseId: string): Promise<RecordedEvent[]>;
  /** Stored events with their personal-data envelopes opened, as the service reads them. */
  opened(events: readonly RecordedEvent[]): Promise<RecordedEvent[]>;
  /** Every event of one case stream exactly as stored (personal fields sealed). */
  storedEvents(caseId: string): Promise<RecordedEvent[]>;
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
  const tokens = await callerTokens();
  const storedEvents = async (caseId: string) => {
    const events: RecordedEvent[] = [];
    for await (const event of store.readStream(`case-${caseId}`)) events.push(event);
    return events;
  };
  const opened = (events: readonly RecordedEvent[]) => openedEvents(app, events);
  return {
    app,
    baseUrl,
    dataDir,
    store,
    tokens,
    http: new HttpClient(baseUrl, tokens),
    opened,
    async streamEvents(caseId) {
      return opened(await storedEvents(caseId));
    },
    storedEvents,
    async close({ keepData = false } = {}) {
      await app.close();
      if (keepData) return;
      await releaseStore(dataDir);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
