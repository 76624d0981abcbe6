import { SnapshotStore, supersedes, type StoredSnapshot } from '../snapshot-store.port';

/** Snapshots in a map, for the in-memory store: gone with it, like its events. */
export class InMemorySnapshotStore extends SnapshotStore {
  private readonly snapshots = new Map<string, StoredSnapshot>();

  /** `assertOpen` throws once the store that owns it is closed. */
  constructor(private readonly assertOpen: () => void) {
    super();
  }

  override async readSnapshot(streamId: string): Promise<StoredSnapshot | undefined> {
    this.assertOpen();
    const held = this.snapshots.get(streamId);
    return held && { ...held };
  }

  override async writeSnapshot(streamId: string, snapshot: StoredSnapshot): Promise<boolean> {
    this.assertOpen();
    if (supersedes(this.snapshots.get(streamId), snapshot)) return false;
    this.snapshots.set(streamId, { ...snapshot });
    return true;
  }

  override async deleteSnapshots(streamId: string): Promise<void> {
    this.assertOpen();
    this.snapshots.delete(streamId);
  }
}
