/**
 * Snapshots on EventStoreDB: one stream per source stream, `snapshot-<stream id>`. The name
 * starts neither with `$` (system streams need `$admins` and are what `$all` readers skip) nor
 * with the source streams' prefix, so nothing that follows `case-` streams (read models, the
 * feed, export, consumers of `$all` filtered on `case-`) ever sees a snapshot; the category
 * projection files them under `$ce-snapshot`. Before its first event each snapshot stream
 * gets the stream metadata `$maxCount: 1`, so reads see only the newest snapshot and a
 * scavenge removes the older ones.
 */
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  binaryEvent,
  jsonEvent,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { SnapshotStore, supersedes, type StoredSnapshot } from '../snapshot-store.port';
import { toStoreError } from './esdb.errors';
import { settleWithin, withIdleDeadline } from './esdb.read-deadline';
import { readRetryingOnce } from './esdb.retry';

export const SNAPSHOT_STREAM_PREFIX = 'snapshot-';
export const SNAPSHOT_EVENT_TYPE = 'Snapshot';
/** What `deleteSnapshots` appends: with `$maxCount: 1` it hides every snapshot before it. */
export const SNAPSHOTS_DELETED_EVENT_TYPE = 'SnapshotsDeleted';

export const snapshotStreamOf = (streamId: string): string =>
  `${SNAPSHOT_STREAM_PREFIX}${streamId}`;

/** Two writers racing for one snapshot stream: the loser looks again, a few times at most. */
const WRITE_ATTEMPTS = 3;

interface Latest {
  /** The snapshot stream's own revision of its last event; undefined: no stream yet. */
  readonly streamRevision: bigint | undefined;
  readonly snapshot: StoredSnapshot | undefined;
}

export class EsdbSnapshotStore extends SnapshotStore {
  constructor(
    private readonly client: EventStoreDBClient,
    private readonly timeouts: { readonly appendMs: number; readonly readIdleMs: number },
    private readonly user?: string,
  ) {
    super();
  }

  override async readSnapshot(streamId: string): Promise<StoredSnapshot | undefined> {
    return (await this.latest(streamId)).snapshot;
  }

  override async writeSnapshot(streamId: string, snapshot: StoredSnapshot): Promise<boolean> {
    const stream = snapshotStreamOf(streamId);
    // The revision of a snapshot stream whose events are all hidden (an operator's `$tb`).
    let hidden: bigint | undefined;
    for (let attempt = 1; ; attempt++) {
      const latest = await this.latest(streamId);
      if (supersedes(latest.snapshot, snapshot)) return false;
      const expected = latest.streamRevision ?? hidden;
      if (expected === undefined) await this.keepOnlyTheNewest(stream);
      const event = binaryEvent({
        type: SNAPSHOT_EVENT_TYPE,
        data: Buffer.from(snapshot.data, 'utf8'),
        metadata: { revision: snapshot.revision.toString(), version: snapshot.version },
      });
      try {
        await this.append(stream, event, expected ?? NO_STREAM);
        return true;
      } catch (error) {
        // Another writer got there first: its snapshot may be newer, so look again.
        if (!(error instanceof WrongExpectedVersionError) || attempt === WRITE_ATTEMPTS) {
          throw toStoreError(error, { needs: `write access to stream ${stream}` }, this.user);
        }
        if (latest.streamRevision === undefined && typeof error.actualVersion === 'bigint') {
          hidden = error.actualVersion;
        }
      }
    }
  }

  override async deleteSnapshots(streamId: string): Promise<void> {
    const stream = snapshotStreamOf(streamId);
    if ((await this.latest(streamId)).streamRevision === undefined) return;
    const marker = jsonEvent({ id: randomUUID(), type: SNAPSHOTS_DELETED_EVENT_TYPE, data: {} });
    try {
      await this.append(stream, marker, ANY);
    } catch (error) {
      throw toStoreError(error, { needs: `write access to stream ${stream}` }, this.user);
    }
  }

  /** `$maxCount: 1` on a snapshot stream that does not exist yet (its metastream may). */
  private async keepOnlyTheNewest(stream: string): Promise<void> {
    try {
      await settleWithin(
        () => this.client.setStreamMetadata(stream, { maxCount: 1 }),
        this.timeouts.appendMs,
        `the metadata of ${stream}`,
      );
    } catch (error) {
      throw toStoreError(error, { needs: `metadata write access to stream ${stream}` }, this.user);
    }
  }

  private append(
    stream: string,
    event: ReturnType<typeof binaryEvent>,
    expectedRevision: bigint | typeof NO_STREAM | typeof ANY,
  ): Promise<unknown> {
    return settleWithin(
      () =>
        this.client.appendToStream(stream, event, {
          expectedRevision,
          deadline: this.timeouts.appendMs,
        }),
      this.timeouts.appendMs,
      `an append to ${stream}`,
    );
  }

  private async latest(streamId: string): Promise<Latest> {
    const stream = snapshotStreamOf(streamId);
    const open = () =>
      withIdleDeadline(
        this.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }),
        this.timeouts.readIdleMs,
      );
    try {
      for await (const { event } of readRetryingOnce(open)) {
        if (!event) break;
        return { streamRevision: event.revision, snapshot: snapshotOf(event) };
      }
      // The stream exists but shows no event (truncated by an operator).
      return { streamRevision: undefined, snapshot: undefined };
    } catch (error) {
      if (error instanceof StreamNotFoundError)
        return { streamRevision: undefined, snapshot: undefined };
      throw toStoreError(error, { needs: `read access to stream ${stream}` }, this.user);
    }
  }
}

/** The snapshot an event holds, or undefined for a deletion marker or anything unreadable. */
function snapshotOf(event: {
  type: string;
  data: unknown;
  metadata: unknown;
}): StoredSnapshot | undefined {
  if (event.type !== SNAPSHOT_EVENT_TYPE || !(event.data instanceof Uint8Array)) return undefined;
  const { revision, version } = (event.metadata ?? {}) as { revision?: unknown; version?: unknown };
  if (typeof revision !== 'string' || !/^\d+$/.test(revision)) return undefined;
  if (typeof version !== 'number' || !Number.isInteger(version)) return undefined;
  return { revision: BigInt(revision), version, data: Buffer.from(event.data).toString('utf8') };
}
