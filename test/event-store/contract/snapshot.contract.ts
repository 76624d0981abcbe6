import type { SnapshotStore, StoredSnapshot } from '../../../src/event-store/snapshot-store.port';
import {
  collect,
  type CurrentStore,
  numbers,
  readStream,
  someEvents,
  uniquePrefix,
} from './contract.fixtures';
import type { EventStoreFactory } from './durability.contract';

const snapshot = (revision: bigint, version = 1, data = `{"at":${revision},"note":"ünïcode ✓"}`) =>
  ({ revision, version, data }) satisfies StoredSnapshot;

/** The snapshot capability every adapter that runs the service offers. */
export function snapshotContract(current: CurrentStore, factory: EventStoreFactory): void {
  describe('snapshots', () => {
    let snapshots: SnapshotStore;
    let streamId: string;

    beforeAll(() => {
      const offered = current().snapshots();
      if (!offered) throw new Error('The store offers no snapshot store');
      snapshots = offered;
    });
    beforeEach(() => {
      streamId = `${uniquePrefix()}case`;
    });

    it('has none for a stream never snapshotted', async () => {
      await expect(snapshots.readSnapshot(streamId)).resolves.toBeUndefined();
    });

    it('reads back what was written: revision, version and the text as it was', async () => {
      const written = snapshot(41n, 3, JSON.stringify({ big: 'x'.repeat(200_000), n: 'ü✓' }));

      await expect(snapshots.writeSnapshot(streamId, written)).resolves.toBe(true);

      await expect(snapshots.readSnapshot(streamId)).resolves.toEqual(written);
    });

    it('keeps one snapshot per stream', async () => {
      const other = `${uniquePrefix()}case`;
      await snapshots.writeSnapshot(streamId, snapshot(5n));
      await snapshots.writeSnapshot(other, snapshot(9n));

      await expect(snapshots.readSnapshot(streamId)).resolves.toEqual(snapshot(5n));
      await expect(snapshots.readSnapshot(other)).resolves.toEqual(snapshot(9n));
    });

    it('replaces a snapshot with a later one of the same version', async () => {
      await snapshots.writeSnapshot(streamId, snapshot(5n));

      await expect(snapshots.writeSnapshot(streamId, snapshot(9n))).resolves.toBe(true);

      await expect(snapshots.readSnapshot(streamId)).resolves.toEqual(snapshot(9n));
    });

    it('never replaces a snapshot with an older or equal one of the same version', async () => {
      await snapshots.writeSnapshot(streamId, snapshot(9n));

      await expect(snapshots.writeSnapshot(streamId, snapshot(5n))).resolves.toBe(false);
      await expect(snapshots.writeSnapshot(streamId, snapshot(9n, 1, '{}'))).resolves.toBe(false);

      await expect(snapshots.readSnapshot(streamId)).resolves.toEqual(snapshot(9n));
    });

    it('replaces a snapshot of another version whatever its revision', async () => {
      await snapshots.writeSnapshot(streamId, snapshot(9n, 1));

      await expect(snapshots.writeSnapshot(streamId, snapshot(5n, 2))).resolves.toBe(true);

      await expect(snapshots.readSnapshot(streamId)).resolves.toEqual(snapshot(5n, 2));
    });

    it('keeps the newest of writes racing for one stream', async () => {
      const revisions = [3n, 12n, 7n, 11n, 4n];

      await Promise.all(revisions.map((r) => snapshots.writeSnapshot(streamId, snapshot(r))));

      await expect(snapshots.readSnapshot(streamId)).resolves.toEqual(snapshot(12n));
    });

    it('deletes the snapshots of a stream, and takes new ones after', async () => {
      await snapshots.writeSnapshot(streamId, snapshot(5n));
      await snapshots.writeSnapshot(streamId, snapshot(9n));

      await snapshots.deleteSnapshots(streamId);

      await expect(snapshots.readSnapshot(streamId)).resolves.toBeUndefined();
      await expect(snapshots.writeSnapshot(streamId, snapshot(2n))).resolves.toBe(true);
      await expect(snapshots.readSnapshot(streamId)).resolves.toEqual(snapshot(2n));
    });

    it('deletes nothing, without failing, for a stream never snapshotted', async () => {
      await expect(snapshots.deleteSnapshots(streamId)).resolves.toBeUndefined();
      await expect(snapshots.readSnapshot(streamId)).resolves.toBeUndefined();
    });

    it('adds nothing to the stream or to reads and subscriptions of its prefix', async () => {
      const prefix = uniquePrefix();
      const source = `${prefix}case`;
      await current().appendToStream(source, someEvents(2), { expectedRevision: 'no_stream' });
      await snapshots.writeSnapshot(source, snapshot(1n));
      await snapshots.writeSnapshot(source, snapshot(1n, 2));
      await current().appendToStream(source, someEvents(1, 2), { expectedRevision: 1n });

      expect(numbers(await readStream(current(), source))).toEqual([0, 1, 2]);
      const all = await collect(current().readAll({ streamPrefix: prefix }));
      expect(all.map((event) => event.streamId)).toEqual([source, source, source]);
      const subscription = current().subscribeToAll({ streamPrefix: prefix });
      const seen: string[] = [];
      for await (const event of subscription) {
        seen.push(event.streamId);
        if (seen.length === 3) break;
      }
      await subscription.unsubscribe();
      expect(seen).toEqual([source, source, source]);
    });
  });

  const reason = factory.notDurableBecause;
  (reason === undefined ? describe : describe.skip)('snapshots across close and reopen', () => {
    it('are still there', async () => {
      const streamId = `${uniquePrefix()}case`;
      const writing = await factory.open();
      await writing.snapshots()!.writeSnapshot(streamId, snapshot(7n));
      await writing.close();

      const reopened = await factory.open();
      try {
        await expect(reopened.snapshots()!.readSnapshot(streamId)).resolves.toEqual(snapshot(7n));
      } finally {
        await reopened.close();
      }
    });
  });
}
