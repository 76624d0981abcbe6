/**
 * What the EventStoreDB adapter itself promises beyond the shared contract: the wire mapping
 * of revisions and positions, JSON round trips, and bigints that neither lose digits nor break
 * serialisation. Runs against the wire-level test server.
 */
import { WrongExpectedRevision } from '../../src/event-store/event-store.errors';
import { createEsdbEventStore } from '../../src/event-store/esdb/esdb.event-store';
import type { EventStore } from '../../src/event-store/event-store.port';
import { anEvent, collect, take, uniqueStream } from './esdb.fixtures';
import { InMemoryEventLog } from './esdb.in-memory-log';
import { startEsdbTestServer, type EsdbTestServer } from './esdb.test-server';

export function esdbAdapterBehaviour(): void {
  let server: EsdbTestServer;
  let store: EventStore;
  const beyondDoubles = 2n ** 60n + 7n;

  beforeEach(async () => {
    server = await startEsdbTestServer({ log: new InMemoryEventLog(beyondDoubles) });
    store = createEsdbEventStore(server.connectionString);
  });
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  it('writes JSON events whose data and metadata read back unchanged', async () => {
    const stream = uniqueStream('case');
    const data = { queue: { id: 'HQU-1234-1234' }, parameters: [{ id: 'PAR-1', value: null }] };
    const metadata = { schemaVersion: 1, actor: { id: 'USR-1' }, correlationId: 'c-1' };
    await store.appendToStream(stream, [anEvent('CaseCreated', data, metadata)], {
      expectedRevision: 'no_stream',
    });

    const [recorded] = await collect(store.readStream(stream));
    expect(recorded).toMatchObject({
      type: 'CaseCreated',
      data,
      metadata,
      streamId: stream,
      revision: 0n,
    });
    expect(server.log.stream(stream)?.[0].contentType).toBe('application/json');
    expect(recorded.created).toBeInstanceOf(Date);
  });

  it('keeps every digit of positions beyond Number.MAX_SAFE_INTEGER', async () => {
    const stream = uniqueStream('case');
    const appended = await store.appendToStream(stream, [anEvent('A'), anEvent('B')], {
      expectedRevision: 'any',
    });

    const written = server.log.stream(stream) ?? [];
    expect(appended).toEqual({ nextExpectedRevision: 1n, position: written[1].position });
    const read = await collect(store.readStream(stream));
    expect(read.map((event) => event.position)).toEqual(written.map((record) => record.position));
    expect(read[0].position).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it('serialises recorded events and append results to JSON with bigints as decimal strings', async () => {
    const stream = uniqueStream('case');
    const appended = await store.appendToStream(stream, [anEvent('A')], {
      expectedRevision: 'no_stream',
    });
    const [recorded] = await collect(store.readStream(stream));

    expect(JSON.parse(JSON.stringify(recorded))).toMatchObject({
      revision: '0',
      position: recorded.position.toString(),
    });
    expect(JSON.parse(JSON.stringify(appended))).toEqual({
      nextExpectedRevision: '0',
      position: appended.position.toString(),
    });
  });

  it('writes bigints inside event data as decimal strings instead of failing the append', async () => {
    const stream = uniqueStream('case');
    await store.appendToStream(stream, [anEvent('A', { after: 2n ** 64n })], {
      expectedRevision: 'no_stream',
    });

    const [recorded] = await collect(store.readStream(stream));
    expect(recorded.data).toEqual({ after: '18446744073709551616' });
  });

  it('reports the actual revision of a conflicting stream', async () => {
    const stream = uniqueStream('case');
    await store.appendToStream(stream, [anEvent('A'), anEvent('B')], {
      expectedRevision: 'no_stream',
    });

    const stale = store.appendToStream(stream, [anEvent('C')], { expectedRevision: 0n });
    await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevision);
    await expect(stale).rejects.toMatchObject({ status: 409, expected: 0n, actual: 1n });
    await expect(
      store.appendToStream(uniqueStream('case'), [anEvent('A')], {
        expectedRevision: 'stream_exists',
      }),
    ).rejects.toMatchObject({ expected: 'stream_exists', actual: undefined });
    expect(server.log.stream(stream)).toHaveLength(2);
  });

  it('refuses an empty append, for which EventStoreDB would report no position', async () => {
    const stream = uniqueStream('case');
    await expect(store.appendToStream(stream, [], { expectedRevision: 'any' })).rejects.toThrow(
      RangeError,
    );
    expect(server.log.stream(stream)).toBeUndefined();
  });

  it('leaves EventStoreDB system streams out of $all reads and subscriptions without a prefix', async () => {
    const stream = uniqueStream('case');
    await store.appendToStream('$ce-case', [anEvent('$>')], { expectedRevision: 'any' });
    await store.appendToStream(stream, [anEvent('A')], { expectedRevision: 'no_stream' });

    expect((await collect(store.readAll())).map((event) => event.streamId)).toEqual([stream]);
    const subscription = store.subscribeToAll();
    const [first] = await take(subscription[Symbol.asyncIterator](), 1);
    expect(first.streamId).toBe(stream);
    await subscription.unsubscribe();
  });

  it('pages through $all beyond one page without losing or repeating events', async () => {
    const stream = uniqueStream('case');
    const events = Array.from({ length: 600 }, (_, index) => anEvent(`E${index}`));
    await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    await store.appendToStream(uniqueStream('other'), [anEvent('Noise')], {
      expectedRevision: 'no_stream',
    });

    const read = await collect(store.readAll({ streamPrefix: 'case-' }));
    expect(read.map((event) => event.type)).toEqual(events.map((event) => event.type));
  });
}
