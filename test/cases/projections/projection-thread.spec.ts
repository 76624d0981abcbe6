import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { threadId as mainThreadId, type Worker } from 'node:worker_threads';
import { CaseEventStream } from '../../../src/cases/application/case-event-stream';
import { emptyCaseFold } from '../../../src/cases/application/case.fold';
import { CASE_EVENT_SCHEMA_VERSION, type CaseEvent } from '../../../src/cases/domain/case.events';
import type { AppendSlot } from '../../../src/cases/projections/append-slot';
import { ProjectionThread } from '../../../src/cases/projections/projection-thread';
import {
  erasureStreamId,
  PERSONAL_DATA_ERASED,
} from '../../../src/personal-data/personal-data.erasures';
import {
  openReadModelsReader,
  type ReadModelsDatabase,
} from '../../../src/cases/projections/read-models.database';
import {
  append,
  assigned,
  caseCreated,
  OPERATOR,
  openStoreFixture,
  rowsOf,
  type StoreFixture,
} from './projection.fixtures';

const quietLogger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };

describe('the projection thread', () => {
  let fixture: StoreFixture;
  let stream: CaseEventStream;
  let projection: ProjectionThread;
  let reader: ReadModelsDatabase | undefined;

  const start = async (options = {}) => {
    projection = new ProjectionThread(
      {
        name: 'cases',
        eventStore: 'sqlite',
        dataDir: fixture.dataDir,
        esdbTimeoutMs: 1000,
        maxAppendSize: 1024 * 1024,
        nodeEnv: 'test',
      },
      stream,
      { logger: quietLogger, ...options },
    );
    await projection.start();
    reader = openReadModelsReader(fixture.dataDir);
  };
  /** The thread's Worker, as only the handle sees it. */
  const workerOf = (thread: ProjectionThread) => thread['worker'] as Worker;
  const slotOf = (thread: ProjectionThread) => thread['slot'] as AppendSlot;

  beforeEach(async () => {
    fixture = await openStoreFixture();
    stream = new CaseEventStream(fixture.store);
    quietLogger.error.mockClear();
  });
  afterEach(async () => {
    await projection?.close();
    reader?.close();
    await fixture.close();
  });

  // Linux only: that is where threads have names in /proc (the HTTP bench's per-thread CPU).
  (process.platform === 'linux' ? it : it.skip)(
    'names its OS thread and the store writer’s, and its name goes when it stops',
    async () => {
      await start();

      expect(threadNames()).toEqual(expect.arrayContaining(['case-projection', 'case-writer']));

      await projection.close();
      expect(threadNames()).not.toContain('case-projection');
    },
  );

  it('applies the service’s appends on another thread and reports its checkpoint', async () => {
    await start();
    const posted = jest.spyOn(workerOf(projection), 'postMessage');

    const position = await create(stream, 'CAS-2000-0000-0001', 1);
    await projection.waitForCheckpoint(position, 5_000);

    // Woken through the shared slot by the append itself, not by a message per append.
    expect(posted).not.toHaveBeenCalled();
    expect(slotOf(projection).position).toBe(position);
    expect(projection.threadId).toEqual(expect.any(Number));
    expect(projection.threadId).not.toBe(mainThreadId);
    expect(projection.checkpoint).toBe(position);
    expect(reader!.checkpoint()).toBe(position);
    expect(rowsOf(reader!).cases).toEqual([
      expect.objectContaining({ id: 'CAS-2000-0000-0001', revision: 1 }),
    ]);
  });

  it('follows appends made one after another, each found without waiting for its poll', async () => {
    await start();
    const posted = jest.spyOn(workerOf(projection), 'postMessage');

    for (let n = 1; n <= 20; n += 1) {
      const position = await create(stream, `CAS-2100-0000-${1000 + n}`, n);
      // The thread's store polls every second; a wake-up that went missing would show here.
      await projection.waitForCheckpoint(position, 900);
    }

    expect(posted).not.toHaveBeenCalled();
    expect(rowsOf(reader!).cases).toHaveLength(20);
  });

  it('hears of an erasure this service committed without waiting for its poll', async () => {
    await start();
    const { position } = await fixture.store.appendToStream(
      erasureStreamId('USR-9000-0001'),
      [
        {
          id: randomUUID(),
          type: PERSONAL_DATA_ERASED,
          data: {
            identity: { id: 'USR-9000-0001' },
            keyIds: [],
            erasedAt: new Date().toISOString(),
          },
          metadata: {},
        },
      ],
      { expectedRevision: 'no_stream' },
    );

    // Erasures do not go through the append slot; the main thread's erasure follower relays them.
    projection.erasureCommitted();

    // The thread's store polls every second; without the relay its erasure follower waits for it.
    await until(() => (reader!.erasureCheckpoint() ?? -1n) >= position, 900);
  });

  it('leaves this thread a connection that cannot write the read models', async () => {
    await start();

    expect(() => reader!.db.exec('CREATE TABLE probe (x)')).toThrow(/readonly/);
  });

  it('reports a thread that died as a failure, starts it again, and catches up', async () => {
    await start({ restartDelayMs: 300 });
    const first = projection.threadId;

    await workerOf(projection).terminate();

    expect(projection.failure).toMatch(/projection thread stopped \(exit code 1\)/);
    await expect(projection.waitForCheckpoint(1n, 100)).rejects.toThrow(/thread stopped/);
    expect(quietLogger.error).toHaveBeenCalledWith(expect.stringMatching(/thread stopped/));
    const position = await create(stream, 'CAS-2000-0000-0002', 2);
    await until(() => projection.failure === undefined);
    await projection.waitForCheckpoint(position, 5_000);
    expect(projection.threadId).not.toBe(first);
    expect(rowsOf(reader!).cases).toEqual([expect.objectContaining({ id: 'CAS-2000-0000-0002' })]);
  });

  it('reports an event the read models cannot take, and does not restart over it', async () => {
    await start({ restartDelayMs: 50 });
    const worker = workerOf(projection);

    // An assignment of a case that was never created.
    await append(fixture.store, 'CAS-2000-0000-0003', [assigned('USR-1')]);
    await create(stream, 'CAS-2000-0000-0004', 4);
    await until(() => projection.failure !== undefined);

    expect(projection.failure).toMatch(/CAS-2000-0000-0003 has no CaseCreated/);
    expect(workerOf(projection)).toBe(worker);
    expect(rowsOf(reader!).cases).toEqual([]);
  });

  it('ends its thread on close, after closing its connections', async () => {
    await start();
    const worker = workerOf(projection);
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));

    await projection.close();

    expect(await exited).toBe(0);
    expect(worker.threadId).toBe(-1);
    expect(projection.threadId).toBeUndefined();
    expect(quietLogger.error).not.toHaveBeenCalled();
  });
});

/** Creates a case through the case event stream, as the command pipeline does. */
async function create(stream: CaseEventStream, caseId: string, n: number): Promise<bigint> {
  const event: CaseEvent = caseCreated(caseId, n);
  const fold = await stream.append(emptyCaseFold(caseId), [
    {
      eventId: randomUUID(),
      revision: 1,
      event,
      metadata: {
        schemaVersion: CASE_EVENT_SCHEMA_VERSION,
        occurredAt: new Date().toISOString(),
        actor: OPERATOR,
        $correlationId: randomUUID(),
        $causationId: randomUUID(),
      },
    },
  ]);
  return fold.position!;
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Condition not met in time.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The names of this process's OS threads, as `top -H` shows them. */
function threadNames(): string[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      return [readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim()];
    } catch {
      return []; // ended meanwhile
    }
  });
}
