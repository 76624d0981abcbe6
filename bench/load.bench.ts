/**
 * Time to load one case cold: what `GET /cases/{id}` does before presenting without a cached
 * fold, `CaseEventStream.load`, on cases of 10, 1,000 and 10,000 events in the embedded store
 * (SPEC section 10: 10,000 events under 20 ms). The events are written straight into a store
 * in a temp dir; the timings are warm (after a few unmeasured loads) and repeated.
 *
 *   BENCH_LOAD_SIZES   event counts (default 10,1000,10000)
 *   BENCH_LOAD_REPS    measured repetitions per size (default 50)
 *   BENCH_LOAD_HTTP=0  skip the GET /cases/{id} timing through the real service
 *   BENCH_LOAD_KEYS=1  every event sent with its own Idempotency-Key (the largest fold and
 *                      snapshot a case can have)
 *   BENCH_SNAPSHOT_EVERY  the snapshot interval measured (default 500, the service's default)
 *
 * Then the same cases with snapshots (issue 14): cold loads starting from a snapshot at the
 * head and from one `BENCH_SNAPSHOT_EVERY - 1` events behind it (the most a cold load reads),
 * a warm load (cached fold, the tail read only), and what one snapshot costs to write.
 */
import { loadavg } from 'node:os';
import { CaseEventStream } from '../src/cases/application/case-event-stream';
import { CaseFoldCache } from '../src/cases/application/case-fold.cache';
import { CaseSnapshots } from '../src/cases/application/case-snapshots';
import { emptyCaseFold, foldCase } from '../src/cases/application/case.fold';
import type { EventStore } from '../src/event-store/event-store.port';
import { openSqliteEventStore } from '../src/event-store/sqlite/sqlite.event-store';
import { caseHistoryEvents } from './support/load-events';
import { percentile } from './support/http-mix';
import {
  envNumber,
  guardProcess,
  makeTempDir,
  memoryOf,
  removeTempDir,
  startService,
  BASE_PATH,
} from './support/http-service';

const SIZES = (process.env.BENCH_LOAD_SIZES ?? '10,1000,10000')
  .split(',')
  .map((size) => Number(size.trim()))
  .filter((size) => Number.isInteger(size) && size > 0);
const REPS = Math.max(5, envNumber('BENCH_LOAD_REPS', 50));
const WARM = 5;
const WITH_HTTP = process.env.BENCH_LOAD_HTTP !== '0';
const WITH_KEYS = process.env.BENCH_LOAD_KEYS === '1';
const SNAPSHOT_EVERY = Math.max(1, envNumber('BENCH_SNAPSHOT_EVERY', 500));

guardProcess('load.bench', 600);

const caseIdFor = (size: number) =>
  `CAS-9000-0000-${String(SIZES.indexOf(size) + 1).padStart(4, '0')}`;

async function main(): Promise<void> {
  const [l1, l5, l15] = loadavg();
  console.log(
    `# load.bench: sizes ${SIZES.join(', ')}, ${REPS} measured loads each after ${WARM} warm ones` +
      `${WITH_KEYS ? ', an Idempotency-Key on every event' : ''}`,
  );
  console.log(`load average at start: ${l1!.toFixed(2)} ${l5!.toFixed(2)} ${l15!.toFixed(2)}`);
  const dataDir = makeTempDir('case-bench-load-');
  try {
    const store = await openSqliteEventStore({ dataDir });
    const rows: string[] = [];
    const snapshotRows: string[] = [];
    try {
      for (const size of SIZES) await writeCase(store, caseIdFor(size), size);
      for (const size of SIZES) rows.push(await measure(store, caseIdFor(size), size));
      for (const size of SIZES) {
        snapshotRows.push(await measureSnapshots(store, caseIdFor(size), size));
      }
    } finally {
      await store.close();
    }
    console.log('');
    console.log(
      '| events | load+fold median ms | p95 ms | min ms | of which: store read (readStream) | upcast+toHistoryEntry (by difference) | foldCaseView | µs per event |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const row of rows) console.log(row);
    console.log('');
    console.log(`With snapshots every ${SNAPSHOT_EVERY} events (median ms; p95 in brackets):`);
    console.log('');
    console.log(
      '| events | cold, snapshot at the head | cold, snapshot ' +
        `${SNAPSHOT_EVERY - 1} events behind | warm (cached fold) | snapshot size | snapshot encode+write |`,
    );
    console.log('|---:|---:|---:|---:|---:|---:|');
    for (const row of snapshotRows) console.log(row);
    const self = memoryOf(process.pid);
    console.log('');
    console.log(`bench process peak memory (VmHWM): ${self.peakRssMiB.toFixed(1)} MiB`);

    if (WITH_HTTP) await overHttp(dataDir);
  } finally {
    removeTempDir(dataDir);
  }
}

async function writeCase(store: EventStore, caseId: string, size: number): Promise<void> {
  const events = caseHistoryEvents(caseId, size, undefined, { idempotencyKeys: WITH_KEYS });
  const started = performance.now();
  for (let from = 0; from < events.length; from += 500) {
    await store.appendToStream(`case-${caseId}`, events.slice(from, from + 500), {
      expectedRevision: from === 0 ? 'no_stream' : BigInt(from - 1),
    });
  }
  const bytes = events.reduce(
    (sum, e) => sum + JSON.stringify(e.data).length + JSON.stringify(e.metadata).length,
    0,
  );
  console.log(
    `wrote ${caseId}: ${size} events, ${(bytes / 1024).toFixed(0)} KiB of data+metadata JSON, ` +
      `in ${(performance.now() - started).toFixed(0)} ms`,
  );
}

async function measure(store: EventStore, caseId: string, size: number): Promise<string> {
  const streamId = `case-${caseId}`;
  const total: number[] = [];
  const readOnly: number[] = [];
  const historyOnly: number[] = [];
  const foldOnly: number[] = [];
  // No fold cache: every load is the cold path, a full read and fold of the stream.
  const stream = new CaseEventStream(store);
  for (let i = 0; i < WARM + REPS; i++) {
    const t0 = performance.now();
    const fold = await stream.load(caseId);
    const t1 = performance.now();
    if (fold.revision !== size)
      throw new Error(`${caseId}: folded to ${fold.revision}, expected ${size}`);
    const history = await stream.history(caseId);

    // The parts, each on its own: the raw store read, and the fold of a loaded history.
    const r0 = performance.now();
    let n = 0;
    for await (const recorded of store.readStream(streamId)) n += recorded ? 1 : 0;
    const r1 = performance.now();
    foldCase(emptyCaseFold(caseId), history);
    const f1 = performance.now();
    if (n !== size) throw new Error(`${caseId}: read ${n} events`);
    if (i >= WARM) {
      total.push(t1 - t0);
      readOnly.push(r1 - r0);
      foldOnly.push(f1 - r1);
      historyOnly.push(Math.max(0, t1 - t0 - (f1 - r1) - (r1 - r0)));
    }
  }
  const median = percentile(total, 50);
  return (
    `| ${size.toLocaleString('en-US')} | ${median.toFixed(2)} | ${percentile(total, 95).toFixed(2)} | ` +
    `${Math.min(...total).toFixed(2)} | ${percentile(readOnly, 50).toFixed(2)} | ` +
    `~${percentile(historyOnly, 50).toFixed(2)} | ${percentile(foldOnly, 50).toFixed(2)} | ` +
    `${((1000 * median) / size).toFixed(2)} |`
  );
}

/**
 * Loads as the service makes them with snapshots on: `cold` through a stream without a fold
 * cache (every load reads the snapshot and the events after it), `warm` through one with a
 * cache (the tail read only, as every load of a recently used case).
 */
async function measureSnapshots(store: EventStore, caseId: string, size: number): Promise<string> {
  const snapshotStore = store.snapshots()!;
  const snapshots = new CaseSnapshots(snapshotStore, { every: SNAPSHOT_EVERY });
  const cold = new CaseEventStream(store, new CaseFoldCache(0), snapshots);
  const timed = async (load: () => Promise<unknown>): Promise<string> => {
    const times: number[] = [];
    for (let i = 0; i < WARM + REPS; i++) {
      const t0 = performance.now();
      await load();
      if (i >= WARM) times.push(performance.now() - t0);
    }
    return `${percentile(times, 50).toFixed(2)} (${percentile(times, 95).toFixed(2)})`;
  };
  const snapshotAt = async (revision: number): Promise<{ ms: number; bytes: number }> => {
    const fold = await new CaseEventStream(store).load(caseId, { upTo: revision });
    await snapshotStore.deleteSnapshots(`case-${caseId}`);
    const t0 = performance.now();
    snapshots.schedule(fold);
    await snapshots.settled();
    const ms = performance.now() - t0;
    const stored = await snapshotStore.readSnapshot(`case-${caseId}`);
    if (stored?.revision !== BigInt(revision - 1)) throw new Error(`${caseId}: no snapshot`);
    return { ms, bytes: stored.data.length };
  };

  const written = await snapshotAt(size);
  const atHead = await timed(() => cold.load(caseId));
  const behind = Math.max(1, size - (SNAPSHOT_EVERY - 1));
  await snapshotAt(behind);
  const worst = behind === 1 ? '–' : await timed(() => cold.load(caseId));
  const warm = new CaseEventStream(store, new CaseFoldCache(10), snapshots);
  await warm.load(caseId);
  const warmTimes = await timed(() => warm.load(caseId));
  const check = await cold.load(caseId);
  if (check.revision !== size) throw new Error(`${caseId}: folded to ${check.revision}`);
  return (
    `| ${size.toLocaleString('en-US')} | ${atHead} | ${worst} | ${warmTimes} | ` +
    `${(written.bytes / 1024).toFixed(1)} KiB | ${written.ms.toFixed(2)} |`
  );
}

/** For context: the same cases through the real service, `GET /cases/{id}`, end to end. */
async function overHttp(dataDir: string): Promise<void> {
  const service = await startService({ dataDir });
  try {
    console.log('');
    console.log(
      'GET /cases/{id} through the compiled service (one client, warm, wall time incl. JSON and HTTP):',
    );
    for (const size of SIZES) {
      const url = `${service.baseUrl}${BASE_PATH}/cases/${caseIdFor(size)}`;
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < WARM + 20; i++) {
        const t0 = performance.now();
        const response = await fetch(url, {
          headers: { authorization: `Bearer ${service.token}` },
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        const elapsed = performance.now() - t0;
        if (response.status !== 200)
          throw new Error(`GET ${url}: ${response.status} ${text.slice(0, 300)}`);
        bytes = text.length;
        if (i >= WARM) times.push(elapsed);
      }
      console.log(
        `  ${size.toLocaleString('en-US').padStart(6)} events: median ${percentile(times, 50).toFixed(2)} ms, ` +
          `p95 ${percentile(times, 95).toFixed(2)} ms (${bytes} bytes)`,
      );
    }
  } finally {
    await service.stop();
  }
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  })
  .finally(() => setTimeout(() => process.exit(), 100).unref());
