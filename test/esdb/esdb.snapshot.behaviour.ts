/**
 * Snapshots on EventStoreDB beyond the shared contract: where they live (a `snapshot-` stream
 * that only ever shows its newest event, by `$maxCount: 1`), that an ordinary user may keep
 * them, and that the test server applies stream metadata as the real server does (the official
 * clients' "max count set for stream" and "truncate before" tests).
 */
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { createEsdbEventStore } from '../../src/event-store/esdb/esdb.event-store';
import type { EventStore } from '../../src/event-store/event-store.port';
import { DEFAULT_USERS } from './esdb.access';
import { anEvent, collect, uniqueStream } from './esdb.fixtures';
import { startEsdbTestServer, type EsdbTestServer } from './esdb.test-server';

const snapshot = (revision: bigint, data = `{"at":${revision}}`) => ({
  revision,
  version: 1,
  data,
});

export function esdbSnapshotBehaviour(): void {
  let server: EsdbTestServer;
  let store: EventStore;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    server = await startEsdbTestServer();
    store = createEsdbEventStore(server.connectionString);
    client = EventStoreDBClient.connectionString(server.connectionString);
  });
  afterAll(async () => {
    await client.dispose();
    await store.close();
    await server.stop();
  });

  it('keeps them in snapshot-<stream>, set to $maxCount 1 so reads show only the newest', async () => {
    const source = uniqueStream('case');
    for (const revision of [9n, 19n, 29n]) {
      await store.snapshots()!.writeSnapshot(source, snapshot(revision));
    }

    const { metadata } = await client.getStreamMetadata(`snapshot-${source}`);
    expect(metadata).toMatchObject({ maxCount: 1 });
    const shown = await collect(client.readStream(`snapshot-${source}`));
    expect(shown.map(({ event }) => [event?.revision, event?.type])).toEqual([[2n, 'Snapshot']]);
    expect(server.log.stream(`snapshot-${source}`)).toHaveLength(3);
    await expect(store.snapshots()!.readSnapshot(source)).resolves.toEqual(snapshot(29n));
  });

  it('deletes them with a marker that hides every earlier snapshot', async () => {
    const source = uniqueStream('case');
    await store.snapshots()!.writeSnapshot(source, snapshot(9n));

    await store.snapshots()!.deleteSnapshots(source);

    const shown = await collect(client.readStream(`snapshot-${source}`));
    expect(shown.map(({ event }) => event?.type)).toEqual(['SnapshotsDeleted']);
    await expect(store.snapshots()!.readSnapshot(source)).resolves.toBeUndefined();
  });

  it('ignores an event in the snapshot stream that is not a readable snapshot', async () => {
    const source = uniqueStream('case');
    await client.appendToStream(`snapshot-${source}`, jsonEvent({ type: 'Snapshot', data: {} }));

    await expect(store.snapshots()!.readSnapshot(source)).resolves.toBeUndefined();
    await expect(store.snapshots()!.writeSnapshot(source, snapshot(3n))).resolves.toBe(true);
    await expect(store.snapshots()!.readSnapshot(source)).resolves.toEqual(snapshot(3n));
  });

  describe('the test server applies stream metadata as the server does', () => {
    it('reads only the last $maxCount events of a stream, either way, but all of them in $all', async () => {
      const stream = uniqueStream('meta');
      await client.setStreamMetadata(stream, { maxCount: 3 });
      const appended = await store.appendToStream(stream, [1, 2, 3, 4, 5].map(numbered), {
        expectedRevision: 'no_stream',
      });

      expect(numbers(await collect(store.readStream(stream)))).toEqual([3, 4, 5]);
      expect(numbers(await collect(store.readStream(stream, { direction: 'backwards' })))).toEqual([
        5, 4, 3,
      ]);
      const all = await collect(store.readAll({ streamPrefix: stream }));
      expect(numbers(all)).toEqual([1, 2, 3, 4, 5]);
      expect(appended.nextExpectedRevision).toBe(4n);
    });

    it('reads more or fewer events when $maxCount changes, and none before $tb', async () => {
      const stream = uniqueStream('meta');
      await client.setStreamMetadata(stream, { maxCount: 2 });
      await store.appendToStream(stream, [1, 2, 3, 4, 5].map(numbered), {
        expectedRevision: 'no_stream',
      });
      await client.setStreamMetadata(stream, { maxCount: 4 });
      expect(numbers(await collect(store.readStream(stream)))).toEqual([2, 3, 4, 5]);

      await client.setStreamMetadata(stream, { truncateBefore: 3 });

      expect(numbers(await collect(store.readStream(stream)))).toEqual([4, 5]);
      expect(numbers(await collect(store.readStream(stream, { maxCount: 1 })))).toEqual([4]);
    });
  });

  describe('on a secure node', () => {
    let secure: EsdbTestServer;
    let asOps: EventStore;

    beforeAll(async () => {
      secure = await startEsdbTestServer({ users: DEFAULT_USERS });
      asOps = createEsdbEventStore(secure.connectionStringAs('ops', 'changeit'));
    });
    afterAll(async () => {
      await asOps.close();
      await secure.stop();
    });

    it('lets an ordinary user keep snapshots: a user stream and its metadata are theirs', async () => {
      const source = uniqueStream('case');
      await asOps.appendToStream(source, [anEvent('A')], { expectedRevision: 'no_stream' });

      await expect(asOps.snapshots()!.writeSnapshot(source, snapshot(0n))).resolves.toBe(true);

      await expect(asOps.snapshots()!.readSnapshot(source)).resolves.toEqual(snapshot(0n));
    });
  });
}

const numbered = (n: number) => anEvent('Numbered', { n });
const numbers = (events: readonly { data: unknown }[]) =>
  events.map((event) => (event.data as { n: number }).n);
