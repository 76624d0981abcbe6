/**
 * The EventStoreDB adapter, over the wire with the real `@eventstore/db-client`: against the
 * wire-level test server always, and against a real server when EVENTSTORE_CONNECTION_STRING
 * names one (`docker compose up -d eventstore`).
 */
import { esdbAdapterBehaviour } from '../esdb/esdb.adapter.behaviour';
import { esdbResilienceBehaviour } from '../esdb/esdb.resilience.behaviour';

describe('esdb adapter (wire-level test server)', () => {
  esdbAdapterBehaviour();
});

describe('esdb adapter resilience (wire-level test server)', () => {
  esdbResilienceBehaviour();
});
