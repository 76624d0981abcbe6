import { join } from 'node:path';
import { threadId as mainThreadId, type Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CaseProjection } from '../../src/cases/projections/case-projection';
import { ProjectionThread } from '../../src/cases/projections/projection-thread';
import { ReadModelsDatabase } from '../../src/cases/projections/read-models.database';
import { READ_MODELS_FILE_NAME } from '../../src/cases/projections/read-models.schema';
import { clientCaseBody, OTHER_QUEUE } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';
import { startTestApp, type TestApp } from './support/test-app';

/** The thread's Worker, as only the handle sees it. */
const workerOf = (projection: CaseProjection) =>
  (projection as ProjectionThread)['worker'] as Worker;

describe(onStore('the read-model projection on its own thread'), () => {
  let t: TestApp;
  let projection: CaseProjection;
  beforeAll(async () => {
    t = await startTestApp();
    projection = t.app.get(CaseProjection);
  });
  afterAll(() => t?.close());

  it('applies events off the main thread, which only reads the read models', async () => {
    expect(projection).toBeInstanceOf(ProjectionThread);
    expect(projection.threadId).toEqual(expect.any(Number));
    expect(projection.threadId).not.toBe(mainThreadId);
    expect(() => t.app.get(ReadModelsDatabase).db.exec('CREATE TABLE probe (x)')).toThrow(
      /readonly/,
    );
  });

  it('lists a change right after the command, at the position the command appended', async () => {
    const id = (await t.http.post('/cases', clientCaseBody())).body.id;
    const transferred = await t.http.post(`/cases/${id}/transfer`, { queue: OTHER_QUEUE });

    const list = await t.http.get(`/cases?eq(id,${id})`);

    expect(transferred.status).toBe(200);
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({ id, revision: 2, queue: OTHER_QUEUE }),
    ]);
    const events = await t.streamEvents(id);
    expect(events).toHaveLength(2);
    expect(projection.checkpoint).toBeGreaterThanOrEqual(events[1]!.position);
  });

  it('answers a list after a command only once the thread has applied it, when the thread is held up', async () => {
    // Another connection holds the read models' write lock: the thread's next commit waits.
    const blocker = new Database(join(t.dataDir, READ_MODELS_FILE_NAME));
    blocker.exec('BEGIN IMMEDIATE');
    let list;
    let id: string;
    try {
      id = (await t.http.post('/cases', clientCaseBody())).body.id;
      const release = setTimeout(() => blocker.exec('COMMIT'), 300);
      list = await t.http.get(`/cases?eq(id,${id})`);
      clearTimeout(release);
    } finally {
      if (blocker.inTransaction) blocker.exec('ROLLBACK');
      blocker.close();
    }

    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([expect.objectContaining({ id, revision: 1 })]);
  });

  it('reports a dead thread as not ready, starts a new one, and serves what came meanwhile', async () => {
    const first = projection.threadId;

    await workerOf(projection).terminate();
    const down = await t.http.get('/health/ready', { as: null });
    const id = (await t.http.post('/cases', clientCaseBody())).body.id;

    expect(down.status).toBe(503);
    expect(down.body.details['projection:cases']).toEqual({
      status: 'down',
      message: expect.stringMatching(/projection thread stopped/),
    });
    await waitUntilReady(t);
    expect(projection.threadId).not.toBe(first);
    const list = await t.http.get(`/cases?eq(id,${id})`);
    expect(list.body.data).toEqual([expect.objectContaining({ id })]);
  });
});

describe(onStore('closing the service'), () => {
  it('ends the projection thread', async () => {
    const t = await startTestApp();
    const worker = workerOf(t.app.get(CaseProjection));
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));

    await t.close();

    expect(await exited).toBe(0);
    expect(worker.threadId).toBe(-1);
  });
});

async function waitUntilReady(t: TestApp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await t.http.get('/health/ready', { as: null });
    if (ready.status === 200) return;
    if (Date.now() > deadline) throw new Error(`Not ready: ${JSON.stringify(ready.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
