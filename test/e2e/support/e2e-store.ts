import { startEsdbTestServer, type EsdbTestServer } from '../../esdb/esdb.test-server';

/**
 * Which store the end-to-end suite runs on. The jest project `e2e-esdb` sets E2E_STORE=esdb, so
 * the same specs run once through the EventStoreDB adapter: against the wire-level test server,
 * or against a real server when EVENTSTORE_CONNECTION_STRING names one.
 */
export const E2E_STORE: 'sqlite' | 'esdb' = process.env.E2E_STORE === 'esdb' ? 'esdb' : 'sqlite';

/**
 * Which append path the EventStoreDB double offers: BatchAppend by default, as every server since
 * 21.10 does; `plain` (the `e2e-esdb-plain` jest project) plays an older server.
 */
const APPEND_MODE = process.env.E2E_ESDB_APPEND_MODE === 'plain' ? 'plain' : 'batch';

/** Spec titles carry the store so `jest -t esdb` selects the EventStoreDB runs. */
export const onStore = (title: string): string =>
  E2E_STORE === 'esdb'
    ? `esdb${APPEND_MODE === 'plain' ? ' (plain append)' : ''}: ${title}`
    : title;

/** Skips specs that are about the embedded store itself. */
export const describeEmbeddedOnly = E2E_STORE === 'esdb' ? describe.skip : describe;

// One test server per data directory, so a restarted app finds its events again.
const servers = new Map<string, EsdbTestServer>();

export async function storeEnv(dataDir: string): Promise<Record<string, string>> {
  if (E2E_STORE === 'sqlite') return {};
  const real = process.env.EVENTSTORE_CONNECTION_STRING;
  if (real) return { EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: real };
  let server = servers.get(dataDir);
  if (!server) {
    server = await startEsdbTestServer({ appendMode: APPEND_MODE });
    servers.set(dataDir, server);
  }
  return { EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: server.connectionString };
}

export async function releaseStore(dataDir: string): Promise<void> {
  const server = servers.get(dataDir);
  servers.delete(dataDir);
  await server?.stop();
}
