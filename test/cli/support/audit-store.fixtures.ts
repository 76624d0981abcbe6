import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { caseStreamId } from '../../../src/cases/application/case-event.codec';
import { CASE_EVENT_SCHEMA_VERSION, type CaseEvent } from '../../../src/cases/domain/case.events';
import type { CaseEventMetadata } from '../../../src/cases/domain/case.history';
import type { EventStore, ExpectedRevision } from '../../../src/event-store/event-store.port';
import {
  openSqliteEventStore,
  type SqliteEventStore,
} from '../../../src/event-store/sqlite/sqlite.event-store';
import { EVENTS_FILE_NAME } from '../../../src/event-store/sqlite/sqlite.schema';
import { DEV_PRINCIPALS } from '../../../src/identity/dev-tokens';

/** An embedded store in its own temp directory, removed by `dispose`. */
export interface ScratchStore {
  readonly dataDir: string;
  readonly store: SqliteEventStore;
  /** Closes the store, lets `damage` change its file, and opens it again. */
  reopenAfter(damage: (dataDir: string) => void): Promise<void>;
  dispose(): Promise<void>;
}

export async function scratchStore(): Promise<ScratchStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'case-audit-'));
  let store = await openSqliteEventStore({ dataDir });
  return {
    dataDir,
    get store() {
      return store;
    },
    async reopenAfter(damage) {
      await store.close();
      damage(dataDir);
      store = await openSqliteEventStore({ dataDir });
    },
    async dispose() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const OPERATOR = DEV_PRINCIPALS.operations;
let clock = Date.parse('2026-11-24T10:00:00.000Z');

/** Metadata as the command pipeline writes it, one minute after the previous event's. */
export function pipelineMetadata(occurredAt?: string): CaseEventMetadata {
  clock += 60_000;
  return {
    schemaVersion: CASE_EVENT_SCHEMA_VERSION,
    occurredAt: occurredAt ?? new Date(clock).toISOString(),
    actor: {
      id: OPERATOR.id,
      name: OPERATOR.name,
      accountId: OPERATOR.accountId,
      accountName: OPERATOR.accountName,
      accountType: OPERATOR.accountType,
    },
    $correlationId: randomUUID(),
    $causationId: randomUUID(),
  };
}

/**
 * Metadata as the pipeline wrote it at schemaVersion 1, member for member, before the ids took
 * EventStoreDB's keys: what every store written until then holds.
 */
export function pipelineMetadataV1(): Record<string, unknown> {
  const { occurredAt, actor, $correlationId, $causationId } = pipelineMetadata();
  return {
    schemaVersion: 1,
    occurredAt,
    actor,
    correlationId: $correlationId,
    causationId: $causationId,
  };
}

/**
 * Appends as the pipeline does (one atomic append, pipeline metadata), but with whatever
 * expected revision the test asks for: `any` lets a test write a history `decide` never would.
 */
export async function appendCaseEvents(
  store: EventStore,
  caseId: string,
  events: readonly CaseEvent[],
  expectedRevision: ExpectedRevision = 'any',
): Promise<void> {
  const metadata = pipelineMetadata();
  await store.appendToStream(
    caseStreamId(caseId),
    events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata })),
    { expectedRevision },
  );
}

/** Appends an event the domain types would refuse, e.g. one that breaks its schema. */
export async function appendRawEvent(
  store: EventStore,
  caseId: string,
  type: string,
  data: unknown,
  metadata: unknown = pipelineMetadata(),
): Promise<void> {
  await store.appendToStream(caseStreamId(caseId), [{ id: randomUUID(), type, data, metadata }], {
    expectedRevision: 'any',
  });
}

/**
 * Deletes one stored event behind the store's back, as disk damage or a bad manual repair
 * would: the store must be closed, as the writer owns the file while it is open.
 */
export function deleteStoredEvent(dataDir: string, caseId: string, storeRevision: number): void {
  const db = new Database(join(dataDir, EVENTS_FILE_NAME));
  try {
    const { changes } = db
      .prepare('DELETE FROM events WHERE stream_id = ? AND revision = ?')
      .run(caseStreamId(caseId), storeRevision);
    if (changes !== 1) throw new Error(`No event at revision ${storeRevision} of ${caseId}`);
  } finally {
    db.close();
  }
}

/** A writable that keeps what it is given, for commands' stdout and stderr. */
export class TextCapture extends Writable {
  private chunks: string[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk.toString());
    done();
  }

  get text(): string {
    return this.chunks.join('');
  }

  lines(): string[] {
    return this.text.split(/\r?\n/).filter((line) => line.length > 0);
  }
}
