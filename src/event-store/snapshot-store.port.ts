/**
 * Snapshots of a fold over one stream, kept next to the events by the adapter that holds them.
 * A snapshot is an optimisation and never the truth: the reader checks it against the stream
 * and falls back to a full read whenever it is missing, unreadable or does not fit. So an
 * adapter may lose snapshots (a deleted file, a scavenged stream) without harm, and keeps only
 * the newest one per stream.
 */
export interface StoredSnapshot {
  /** 0-based revision of the last event of the source stream the snapshot has folded. */
  readonly revision: bigint;
  /** The version of the fold that wrote it; a reader of another version ignores it. */
  readonly version: number;
  /** What the snapshot codec wrote; opaque to the store. */
  readonly data: string;
}

export abstract class SnapshotStore {
  /** The snapshot of `streamId` (the source stream), or undefined when there is none. */
  abstract readSnapshot(streamId: string): Promise<StoredSnapshot | undefined>;

  /**
   * Keeps `snapshot` as the one of `streamId` unless the one held has the same version and a
   * revision at or after it: a slower writer never replaces a newer snapshot with an older one.
   * A snapshot of another version is replaced (a changed fold starts over). Resolves to whether
   * it was written.
   */
  abstract writeSnapshot(streamId: string, snapshot: StoredSnapshot): Promise<boolean>;

  /** Drops every snapshot of `streamId` (for instance after the data they hold was erased). */
  abstract deleteSnapshots(streamId: string): Promise<void>;
}

/** Whether a snapshot already held makes `next` pointless. */
export const supersedes = (held: StoredSnapshot | undefined, next: StoredSnapshot): boolean =>
  held !== undefined && held.version === next.version && held.revision >= next.revision;
