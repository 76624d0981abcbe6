import { StoreUnavailable } from '../../src/event-store/event-store.errors';
import { InMemoryEventStore } from '../../src/event-store/memory/in-memory.event-store';
import {
  anEvent,
  collect,
  readStream,
  uniquePrefix,
  uniqueStream,
} from './contract/contract.fixtures';
import { embeddedEventIdBehaviour } from './contract/event-id.behaviour';
import { eventStoreContract } from './event-store.contract';

eventStoreContract('in-memory', {
  open: async () => new InMemoryEventStore(),
  notDurableBecause: 'the in-memory store keeps its events only until it is closed',
});

describe('in-memory event store', () => {
  let store: InMemoryEventStore;

  beforeEach(() => {
    store = new InMemoryEventStore();
  });

  afterEach(async () => {
    await store.close();
  });

  it('keeps what was appended when the caller later changes its objects', async () => {
    const streamId = uniqueStream();
    const event = anEvent(1);
    await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });

    (event.data as { n: number }).n = 42;
    (event.metadata as { actor: { id: string } }).actor.id = 'USR-0000-0000';

    const [stored] = await readStream(store, streamId);
    expect(stored).toMatchObject({ data: { n: 1 }, metadata: { actor: { id: 'USR-6375-2499' } } });
  });

  it('hands out copies, so changing a read event changes no later read', async () => {
    const streamId = uniqueStream();
    await store.appendToStream(streamId, [anEvent(1)], { expectedRevision: 'no_stream' });

    const [read] = await readStream(store, streamId);
    (read!.data as { n: number }).n = 42;
    const [fromAll] = await collect(store.readAll({ streamPrefix: streamId }));
    (fromAll!.metadata as { schemaVersion: number }).schemaVersion = 9;

    expect(await readStream(store, streamId)).toMatchObject([
      { data: { n: 1 }, metadata: { schemaVersion: 1 } },
    ]);
  });

  it('stores data as JSON, as the real stores do', async () => {
    const streamId = uniqueStream();
    const data = { at: new Date('2026-01-02T03:04:05.000Z'), gone: undefined, kept: null };
    await store.appendToStream(streamId, [{ ...anEvent(1), data, metadata: undefined }], {
      expectedRevision: 'no_stream',
    });

    const [stored] = await readStream(store, streamId);

    expect(stored!.data).toEqual({ at: '2026-01-02T03:04:05.000Z', kept: null });
    expect(Object.keys(stored!.data as object)).not.toContain('gone');
    expect(stored!.metadata).toBeNull();
  });

  embeddedEventIdBehaviour(() => store);

  it('refuses an empty append', async () => {
    const streamId = uniqueStream();

    await expect(
      store.appendToStream(streamId, [], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(RangeError);
    expect(await readStream(store, streamId)).toEqual([]);
  });

  it('ends its subscriptions and refuses appends, reads and health checks once closed', async () => {
    const subscription = store.subscribeToAll({ streamPrefix: uniquePrefix() });
    const waiting = subscription[Symbol.asyncIterator]().next();

    await store.close();

    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    await expect(
      store.appendToStream(uniqueStream(), [anEvent(1)], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(readStream(store, uniqueStream())).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.checkHealth()).rejects.toBeInstanceOf(StoreUnavailable);
  });
});
