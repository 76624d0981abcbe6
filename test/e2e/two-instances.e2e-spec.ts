import { startEsdbTestServer, type EsdbTestServer } from '../esdb/esdb.test-server';
import { QUEUE, clientCaseBody } from '../support/case.fixtures';
import { E2E_STORE } from './support/e2e-store';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Two service instances on one EventStoreDB, as production scales out: each has its own read
 * models and its own fold cache, the store is shared. Racing writers through both on the same
 * cases must lose nothing. It needs EventStoreDB (two processes cannot share the embedded
 * store's writer), so it runs once, against the wire-level double, from the sqlite project.
 */
const describeOnce = E2E_STORE === 'esdb' ? describe.skip : describe;

const CASES = 3;
const WRITES_PER_INSTANCE = 6;

describeOnce('two instances on one EventStoreDB', () => {
  let server: EsdbTestServer;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    server = await startEsdbTestServer();
    const env = { EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: server.connectionString };
    a = await startTestApp({ env });
    b = await startTestApp({ env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
  });

  it('loses no acknowledged command when writers race through both on the same cases', async () => {
    const ids = await Promise.all(
      Array.from(
        { length: CASES },
        async () => (await a.http.post('/cases', clientCaseBody())).body.id,
      ),
    );
    // Each write adds its own parameter, so a lost update would show as a missing parameter.
    const writes = ids.flatMap((id) =>
      [a, b].flatMap((instance, i) =>
        Array.from({ length: WRITES_PER_INSTANCE }, (_, n) => {
          const parameter = { id: `PAR-${i + 1}000-${String(n).padStart(4, '0')}`, value: n };
          const correlationId = `race-${id}-${i}-${n}`;
          return instance.http
            .put(
              `/cases/${id}`,
              { parameters: [parameter] },
              {
                headers: { 'X-Correlation-Id': correlationId },
              },
            )
            .then((response) => ({ id, parameter, correlationId, status: response.status }));
        }),
      ),
    );
    const answers = await Promise.all(writes);
    const acknowledged = answers.filter((answer) => answer.status === 200);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 409)).toBe(true);
    expect(acknowledged.length).toBeGreaterThan(0);

    for (const id of ids) {
      const events = await a.streamEvents(id);
      // Contiguous revisions, and every acknowledged write present exactly once.
      expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
      const byCorrelation = events.map((e) => e.metadata as { $correlationId?: string });
      for (const write of acknowledged.filter((w) => w.id === id)) {
        const carrying = byCorrelation.filter((m) => m.$correlationId === write.correlationId);
        expect({ write: write.correlationId, events: carrying.length }).toEqual({
          write: write.correlationId,
          events: 1,
        });
      }
      // No lost update: the case holds every acknowledged write's parameter, on both instances.
      for (const instance of [a, b]) {
        const read = await instance.http.get(`/cases/${id}`);
        const held = new Set(read.body.parameters.map((p: { id: string }) => p.id));
        for (const write of acknowledged.filter((w) => w.id === id)) {
          expect(held.has(write.parameter.id)).toBe(true);
        }
        expect(read.body.revision).toBe(events.length);
      }
    }
  });

  it('converges: both instances list the same revision of a case written through one', async () => {
    const id = (await a.http.post('/cases', clientCaseBody())).body.id;
    const transferred = await a.http.post(`/cases/${id}/transfer`, {
      queue: { ...QUEUE, id: 'HQU-7777-7777' },
    });

    // Instance A reads its own write at once; B's read model follows the store.
    const onA = await a.http.get(`/cases?eq(id,${id})`);
    expect(onA.body.data[0].revision).toBe(transferred.body.revision);
    await eventually(async () => {
      const onB = await b.http.get(`/cases?eq(id,${id})`);
      expect(onB.body.data[0]?.revision).toBe(transferred.body.revision);
    });
  });
});

async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
