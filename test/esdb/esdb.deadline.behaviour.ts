/**
 * Every call of the adapter is bounded: against a frozen server (it accepts requests and
 * answers nothing, as a node under SIGSTOP), appends on either path, reads, health checks and
 * subscriptions give StoreUnavailable within their configured deadline instead of hanging,
 * and the adapter works again on its own once the server answers. An append that timed out
 * is not stored behind the caller's back: its deadline has passed when the server sees it.
 */
import { StoreUnavailable } from '../../src/event-store/event-store.errors';
import { createEsdbEventStore } from '../../src/event-store/esdb/esdb.event-store';
import type { EventStore } from '../../src/event-store/event-store.port';
import { anEvent, collect, take, uniqueStream } from './esdb.fixtures';
import { startEsdbTestServer, type AppendMode, type EsdbTestServer } from './esdb.test-server';

/** Small bounds keep the suite fast; production defaults are 10 s (3 s for health). */
const BOUND_MS = 300;
/** Generous slack over the bound: this proves "no hang", not speed. */
const NO_HANG_MS = 5_000;

export function esdbDeadlineBehaviour(appendMode: AppendMode): void {
  let server: EsdbTestServer;
  let store: EventStore;

  beforeEach(async () => {
    server = await startEsdbTestServer({ appendMode });
    store = createEsdbEventStore(server.connectionString, {
      appendMs: BOUND_MS,
      readIdleMs: BOUND_MS,
      healthMs: BOUND_MS,
      resubscribe: { firstDelayMs: 20, maxDelayMs: 100 },
    });
  });
  afterEach(async () => {
    server.thaw();
    await store.close();
    await server.stop();
  });

  async function unavailableWithinBound(call: Promise<unknown>): Promise<void> {
    const started = Date.now();
    await expect(call).rejects.toBeInstanceOf(StoreUnavailable);
    expect(Date.now() - started).toBeLessThan(NO_HANG_MS);
  }

  it('gives StoreUnavailable for every call while frozen, stores no timed-out append, and recovers', async () => {
    const stream = uniqueStream('case');
    await store.appendToStream(stream, [anEvent('A')], { expectedRevision: 'no_stream' });
    server.freeze();

    await unavailableWithinBound(
      store.appendToStream(stream, [anEvent('Lost')], { expectedRevision: 0n }),
    );
    await unavailableWithinBound(store.checkHealth());
    await unavailableWithinBound(collect(store.readStream(stream)));
    await unavailableWithinBound(collect(store.readAll({ streamPrefix: 'case-' })));

    server.thaw();
    await expect(store.checkHealth()).resolves.toBeUndefined();
    await store.appendToStream(stream, [anEvent('B')], { expectedRevision: 0n });
    const types = (await collect(store.readStream(stream))).map((event) => event.type);
    expect(types).toEqual(['A', 'B']);
  });

  it('bounds an append made before the client ever reached the frozen server', async () => {
    server.freeze();
    const stream = uniqueStream('case');

    await unavailableWithinBound(
      store.appendToStream(stream, [anEvent('A')], { expectedRevision: 'no_stream' }),
    );
    // Thawing only once the request's own deadline has passed too: a server that sees an
    // append in time may store it even though the caller stopped waiting a moment earlier.
    await new Promise((resolve) => setTimeout(resolve, BOUND_MS));

    server.thaw();
    await store.appendToStream(stream, [anEvent('A')], { expectedRevision: 'no_stream' });
    expect(server.log.stream(stream)).toHaveLength(1);
  });

  it('keeps a subscription trying while the server does not confirm it, then delivers', async () => {
    const stream = uniqueStream('case');
    server.freeze();
    const subscription = store.subscribeToAll({ streamPrefix: stream });
    const events = subscription[Symbol.asyncIterator]();
    const first = take(events, 1);
    await new Promise((resolve) => setTimeout(resolve, BOUND_MS * 3));

    server.thaw();
    await store.appendToStream(stream, [anEvent('A')], { expectedRevision: 'no_stream' });
    expect((await first).map((event) => event.type)).toEqual(['A']);
    await subscription.unsubscribe();
  });
}
