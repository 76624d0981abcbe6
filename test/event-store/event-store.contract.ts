import type { EventStore } from '../../src/event-store/event-store.port';
import { appendContract } from './contract/append.contract';
import { appendSizeContract } from './contract/append-size.contract';
import { durabilityContract, type EventStoreFactory } from './contract/durability.contract';
import { readContract } from './contract/read.contract';
import { snapshotContract } from './contract/snapshot.contract';
import { subscriptionContract } from './contract/subscription.contract';

export type { EventStoreFactory };

/**
 * The behaviour every {@link EventStore} adapter must share. Call it from an adapter's spec:
 *
 *   eventStoreContract('sqlite', { open: () => openSqliteEventStore({ dataDir }) });
 *
 * The suite never assumes an empty store and isolates each test under fresh stream ids, so it
 * can run against a long-lived EventStoreDB. One store is opened for the whole suite; the
 * durability tests open and close their own through the same factory.
 */
export function eventStoreContract(name: string, factory: EventStoreFactory): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;

    beforeAll(async () => {
      store = await factory.open();
    });

    afterAll(async () => {
      await store?.close();
    });

    const current = () => store;
    appendContract(current);
    appendSizeContract(current);
    readContract(current);
    subscriptionContract(current);
    durabilityContract(factory);
    snapshotContract(current, factory);
  });
}
