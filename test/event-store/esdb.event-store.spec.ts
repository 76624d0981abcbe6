/**
 * The EventStoreDB adapter, over the wire with the real `@eventstore/db-client`: the shared
 * contract against the wire-level test server on both append paths — BatchAppend, which the
 * client takes against every server since 21.10 (production), and plain Append (an older
 * server) — and against a real server whenever EVENTSTORE_CONNECTION_STRING names one
 * (`docker compose up -d eventstore`). The adapter's own behaviour runs on the batch path.
 */
import { createEsdbEventStore } from '../../src/event-store/esdb/esdb.event-store';
import { esdbAccessBehaviour } from '../esdb/esdb.access.behaviour';
import { esdbAdapterBehaviour } from '../esdb/esdb.adapter.behaviour';
import { esdbDeadlineBehaviour } from '../esdb/esdb.deadline.behaviour';
import { esdbResilienceBehaviour } from '../esdb/esdb.resilience.behaviour';
import { esdbSnapshotBehaviour } from '../esdb/esdb.snapshot.behaviour';
import {
  startEsdbTestServer,
  type AppendMode,
  type EsdbTestServer,
} from '../esdb/esdb.test-server';
import { eventStoreContract } from './event-store.contract';

describe.each<AppendMode>(['batch', 'plain'])('esdb store (test server, %s append)', (mode) => {
  let server: EsdbTestServer;
  beforeAll(async () => {
    server = await startEsdbTestServer({ appendMode: mode });
  });
  afterAll(async () => {
    // The path the client chose is the one the server advertised, not a fallback after failures.
    expect(server.calls[mode === 'batch' ? 'batchAppend' : 'append']).toBeGreaterThan(0);
    expect(server.calls[mode === 'batch' ? 'append' : 'batchAppend']).toBe(0);
    await server.stop();
  });

  eventStoreContract(`esdb over the wire, ${mode} append`, {
    open: async () => createEsdbEventStore(server.connectionString),
  });

  describe('deadlines', () => {
    esdbDeadlineBehaviour(mode);
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

describe('esdb adapter on a secure server (credentials and ACLs)', () => {
  esdbAccessBehaviour();
});

describe('esdb snapshot streams (wire-level test server)', () => {
  esdbSnapshotBehaviour();
});
