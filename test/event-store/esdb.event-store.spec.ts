/**
 * The EventStoreDB adapter, over the wire with the real `@eventstore/db-client`: the shared
 * contract and the adapter's own behaviour against the wire-level test server always, and the
 * contract against a real server whenever EVENTSTORE_CONNECTION_STRING names one
 * (`docker compose up -d eventstore`).
 */
import { createEsdbEventStore } from '../../src/event-store/esdb/esdb.event-store';
import { esdbAdapterBehaviour } from '../esdb/esdb.adapter.behaviour';
import { esdbResilienceBehaviour } from '../esdb/esdb.resilience.behaviour';
import { startEsdbTestServer, type EsdbTestServer } from '../esdb/esdb.test-server';
import { eventStoreContract } from './event-store.contract';

describe('esdb store (wire-level test server)', () => {
  let server: EsdbTestServer;
  beforeAll(async () => {
    server = await startEsdbTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  eventStoreContract('esdb over the wire', {
    open: async () => createEsdbEventStore(server.connectionString),
  });
});

const realServer = process.env.EVENTSTORE_CONNECTION_STRING;

(realServer ? describe : describe.skip)('esdb store (real EventStoreDB)', () => {
  eventStoreContract('esdb real server', {
    open: async () => createEsdbEventStore(realServer ?? ''),
  });
});

describe('esdb adapter (wire-level test server)', () => {
  esdbAdapterBehaviour();
});

describe('esdb adapter resilience (wire-level test server)', () => {
  esdbResilienceBehaviour();
});
