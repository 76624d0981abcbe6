/**
 * How the EventStoreDB adapter behaves when the server goes away: calls fail fast with
 * StoreUnavailable (503, Retry-After), the adapter recovers on its own once the server is
 * back, and a subscription the server drops resumes from its checkpoint without duplicates.
 */
import { StoreUnavailable } from '../../src/event-store/event-store.errors';
import { createEsdbEventStore } from '../../src/event-store/esdb/esdb.event-store';
import type { EventStore } from '../../src/event-store/event-store.port';
import { anEvent, collect, take, uniqueStream } from './esdb.fixtures';
import { startEsdbTestServer, type EsdbTestServer } from './esdb.test-server';

export function esdbResilienceBehaviour(): void {
  let server: EsdbTestServer;
  let store: EventStore;

  beforeEach(async () => {
    server = await startEsdbTestServer();
    store = createEsdbEventStore(server.connectionString, {
      resubscribe: { firstDelayMs: 20, maxDelayMs: 200 },
    });
  });
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  const restart = async () => {
    server = await startEsdbTestServer({ port: server.port, log: server.log });
  };

  it('fails with StoreUnavailable while the server is down and recovers once it is back', async () => {
    const stream = uniqueStream('case');
    await store.appendToStream(stream, [anEvent('A')], { expectedRevision: 'no_stream' });
    await server.stop();

    const append = store.appendToStream(stream, [anEvent('B')], { expectedRevision: 0n });
    await expect(append).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(append).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(store.checkHealth()).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(collect(store.readStream(stream))).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(collect(store.readAll())).rejects.toBeInstanceOf(StoreUnavailable);

    await restart();
    await expect(store.checkHealth()).resolves.toBeUndefined();
    await store.appendToStream(stream, [anEvent('B')], { expectedRevision: 0n });
    expect((await collect(store.readStream(stream))).map((event) => event.type)).toEqual([
      'A',
      'B',
    ]);
  });

  it('resubscribes after the server drops a subscription, from the last delivered event', async () => {
    const stream = uniqueStream('case');
    await store.appendToStream(stream, [anEvent('A'), anEvent('B')], {
      expectedRevision: 'no_stream',
    });
    const subscription = store.subscribeToAll({ streamPrefix: 'case-' });
    const events = subscription[Symbol.asyncIterator]();
    expect((await take(events, 2)).map((event) => event.type)).toEqual(['A', 'B']);

    expect(server.dropSubscriptions()).toBe(1);
    await store.appendToStream(stream, [anEvent('C')], { expectedRevision: 1n });

    expect((await take(events, 1)).map((event) => event.type)).toEqual(['C']);
    expect(server.dropSubscriptions()).toBe(1);
    await subscription.unsubscribe();
  });

  it('keeps a subscription going across a server restart, in order and without duplicates', async () => {
    const stream = uniqueStream('case');
    await store.appendToStream(stream, [anEvent('A')], { expectedRevision: 'no_stream' });
    const subscription = store.subscribeToAll({ streamPrefix: 'case-' });
    const events = subscription[Symbol.asyncIterator]();
    await take(events, 1);

    await server.stop();
    await restart();
    await store.appendToStream(stream, [anEvent('B'), anEvent('C')], { expectedRevision: 0n });

    const resumed = await take(events, 2);
    expect(resumed.map((event) => [event.type, event.revision])).toEqual([
      ['B', 1n],
      ['C', 2n],
    ]);
    await subscription.unsubscribe();
  });

  it('ends iteration when unsubscribed while waiting for live events', async () => {
    const subscription = store.subscribeToAll({ streamPrefix: 'case-' });
    const waiting = subscription[Symbol.asyncIterator]().next();
    await subscription.unsubscribe();

    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
  });
}
