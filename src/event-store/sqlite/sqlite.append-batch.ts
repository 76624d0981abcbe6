import type Database from 'better-sqlite3';
import { expectationHeldBefore, satisfiesExpectedRevision } from '../expected-revision';
import type { AppendOutcome, AppendRequest, WriterError } from './sqlite.writer.protocol';

interface StoredEvent {
  readonly stream_id: string;
  readonly revision: bigint;
  readonly position: bigint;
}

/** A request-level refusal: rolls back that request's savepoint and nothing else. */
class RequestRefused extends Error {
  constructor(readonly refusal: WriterError) {
    super(refusal.kind);
  }
}

/**
 * Builds the function that commits a batch of append requests in one transaction, so one
 * fsync covers every request in it (group commit). Each request runs in its own savepoint and
 * checks its expected revision against the stream as the earlier requests of the same batch
 * left it: a conflicting request fails alone and the rest of the batch still commits. A
 * failure of the transaction itself (disk full, I/O error, lock timeout) fails the whole batch.
 */
export function createBatchAppender(
  db: Database.Database,
): (requests: readonly AppendRequest[]) => AppendOutcome[] {
  const currentRevision = db
    .prepare('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1')
    .pluck()
    .safeIntegers(true);
  const findEvent = db
    .prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?')
    .safeIntegers(true);
  const insert = db
    .prepare(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, created)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .safeIntegers(true);

  /**
   * A retry of an append that already committed (same event ids, in order, in the same stream,
   * with an expectation the original satisfied) succeeds without writing again, as it does on
   * EventStoreDB; any other reuse of an event id is refused by the unique index.
   *
   * Only asked once the append was refused: a retry is always refused first (its expectation no
   * longer holds, or its event ids hit the unique index), so the lookups are paid by retries and
   * refusals, not by every append (one index probe per event in the writer thread, issue 14).
   */
  const alreadyAppended = (request: AppendRequest) => {
    const stored = request.events.map(
      (event) => findEvent.get(event.id) as StoredEvent | undefined,
    );
    const first = stored[0];
    if (!first || first.stream_id !== request.streamId) return undefined;
    const inOrder = stored.every(
      (event, i) =>
        event?.stream_id === request.streamId && event.revision === first.revision + BigInt(i),
    );
    if (!inOrder || !expectationHeldBefore(request.expectedRevision, first.revision)) {
      return undefined;
    }
    const last = stored[stored.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  };

  const writeOne = db.transaction((request: AppendRequest, created: number) => {
    const actual = currentRevision.get(request.streamId) as bigint | undefined;
    if (!satisfiesExpectedRevision(request.expectedRevision, actual)) {
      throw new RequestRefused({
        kind: 'WrongExpectedRevision',
        streamId: request.streamId,
        expected: request.expectedRevision,
        actual,
      });
    }
    let revision = actual ?? -1n;
    let position = 0n;
    for (const event of request.events) {
      revision += 1n;
      const result = insert.run(
        request.streamId,
        revision,
        event.id,
        event.type,
        event.data,
        event.metadata,
        created,
      );
      position = BigInt(result.lastInsertRowid);
    }
    return { nextExpectedRevision: revision, position };
  });

  const appendOne = (request: AppendRequest, created: number) => {
    try {
      return writeOne(request, created);
    } catch (error) {
      // The savepoint is rolled back: the lookups see the store as the batch had left it.
      if (!refusalOf(error)) throw error;
      const retried = alreadyAppended(request);
      if (retried) return retried;
      throw error;
    }
  };

  const appendBatch = db.transaction((requests: readonly AppendRequest[]) => {
    const created = Date.now();
    return requests.map((request): AppendOutcome => {
      try {
        return { requestId: request.requestId, ok: true, ...appendOne(request, created) };
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        return { requestId: request.requestId, ok: false, error: refusal };
      }
    });
  });

  return (requests) => {
    try {
      return appendBatch.immediate(requests);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return requests.map((request) => ({
        requestId: request.requestId,
        ok: false,
        error: { kind: 'StoreUnavailable', message: `The append was not committed: ${message}` },
      }));
    }
  };
}

/** Request-level failures: an expected-revision conflict, or a constraint the request broke. */
function refusalOf(error: unknown): WriterError | undefined {
  if (error instanceof RequestRefused) return error.refusal;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
    return { kind: 'Rejected', message: (error as Error).message };
  }
  return undefined;
}
