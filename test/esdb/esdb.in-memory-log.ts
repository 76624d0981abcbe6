/**
 * The in-memory transaction log behind the wire-level EventStoreDB test server. It keeps what
 * the server's storage would: streams with 0-based revisions and one `$all` order whose
 * positions are byte-like offsets (increasing, not contiguous), so tests cannot come to rely on
 * positions being event counts. Every event is its own implicit transaction, as gRPC appends
 * are on a real server, so an event's commit and prepare positions are equal.
 */

export interface StoredRecord {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly type: string;
  readonly contentType: string;
  /** Ticks of 100 ns since the Unix epoch, as the server's `created` metadata carries it. */
  readonly createdTicks: bigint;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type ProposedRecord = Pick<
  StoredRecord,
  'id' | 'type' | 'contentType' | 'data' | 'customMetadata'
>;

export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type AppendOutcome =
  | {
      readonly ok: true;
      readonly currentRevision: bigint | undefined;
      readonly position: bigint | undefined;
    }
  | { readonly ok: false; readonly currentRevision: bigint | undefined };

/** Bytes a record header takes in the fake log; only shapes the spacing of positions. */
const RECORD_OVERHEAD = 96n;

export class InMemoryEventLog {
  private readonly records: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly listeners = new Set<(record: StoredRecord) => void>();
  private nextPosition: bigint;

  /** `firstPosition` lets tests put positions beyond Number.MAX_SAFE_INTEGER. */
  constructor(firstPosition = 0n) {
    this.nextPosition = firstPosition;
  }

  get all(): readonly StoredRecord[] {
    return this.records;
  }

  stream(streamId: string): readonly StoredRecord[] | undefined {
    return this.streams.get(streamId);
  }

  append(
    streamId: string,
    expected: ExpectedState,
    proposed: readonly ProposedRecord[],
  ): AppendOutcome {
    const stream = this.streams.get(streamId);
    const current = stream ? BigInt(stream.length - 1) : undefined;
    const replayed = this.idempotentReplay(stream, expected, proposed);
    if (replayed) return replayed;
    if (!satisfies(expected, current)) return { ok: false, currentRevision: current };
    if (proposed.length === 0) return { ok: true, currentRevision: current, position: undefined };

    const target = stream ?? [];
    const createdTicks = BigInt(Date.now()) * 10_000n;
    const appended = proposed.map((event, index): StoredRecord => {
      const position = this.nextPosition;
      this.nextPosition +=
        RECORD_OVERHEAD + BigInt(event.data.length + event.customMetadata.length + streamId.length);
      return {
        ...event,
        streamId,
        revision: BigInt(target.length + index),
        position,
        createdTicks,
      };
    });
    target.push(...appended);
    this.streams.set(streamId, target);
    this.records.push(...appended);
    for (const record of appended) for (const listener of this.listeners) listener(record);
    const last = appended[appended.length - 1];
    return { ok: true, currentRevision: last.revision, position: last.position };
  }

  /** Registers a live listener; returns the function that removes it. */
  onAppended(listener: (record: StoredRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The server treats a retried write (same event ids, same expected revision) as already
   * done and answers with the original result instead of appending twice or conflicting.
   */
  private idempotentReplay(
    stream: readonly StoredRecord[] | undefined,
    expected: ExpectedState,
    proposed: readonly ProposedRecord[],
  ): AppendOutcome | undefined {
    if (!stream || proposed.length === 0) return undefined;
    const from =
      expected.kind === 'no_stream'
        ? 0
        : expected.kind === 'revision'
          ? Number(expected.revision) + 1
          : -1;
    if (from < 0 || from + proposed.length > stream.length) return undefined;
    const written = stream.slice(from, from + proposed.length);
    if (!written.every((record, index) => record.id === proposed[index].id)) return undefined;
    const last = written[written.length - 1];
    return { ok: true, currentRevision: last.revision, position: last.position };
  }
}

function satisfies(expected: ExpectedState, current: bigint | undefined): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    case 'revision':
      return current === expected.revision;
  }
}
