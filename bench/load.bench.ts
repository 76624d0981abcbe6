/**
 * Time to load one case cold: what `GET /cases/{id}` does before presenting without a cached
 * fold, `CaseEventStream.load`, on cases of 10, 1,000 and 10,000 events in the embedded store
 * (SPEC section 10: 10,000 events under 20 ms). The events are written straight into a store
 * in a temp dir; the timings are warm (after a few unmeasured loads) and repeated.
 *
 *   BENCH_LOAD_SIZES   event counts (default 10,1000,10000)
 *   BENCH_LOAD_REPS    measured repetitions per size (default 50)
 *   BENCH_LOAD_HTTP=0  skip the GET /cases/{id} timing through the real service
 */
import { loadavg } from 'node:os';
import { CaseEventStream } from '../src/cases/application/case-event-stream';
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

guardProcess('load.bench', 600);

const caseIdFor = (size: number) =>
  `CAS-9000-0000-${String(SIZES.indexOf(size) + 1).padStart(4, '0')}`;

async function main(): Promise<void> {
  const [l1, l5, l15] = loadavg();
  console.log(
    `# load.bench: sizes ${SIZES.join(', ')}, ${REPS} measured loads each after ${WARM} warm ones`,
  );
  console.log(`load average at start: ${l1!.toFixed(2)} ${l5!.toFixed(2)} ${l15!.toFixed(2)}`);
  const dataDir = makeTempDir('case-bench-load-');
  try {
    const store = await openSqliteEventStore({ dataDir });
    const rows: string[] = [];
    try {
      for (const size of SIZES) await writeCase(store, caseIdFor(size), size);
      for (const size of SIZES) rows.push(await measure(store, caseIdFor(size), size));
    } finally {
      await store.close();
    }
    console.log('');
    console.log(
      '| events | load+fold median ms | p95 ms | min ms | of which: store read (readStream) | upcast+toHistoryEntry (by difference) | foldCaseView | µs per event |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const row of rows) console.log(row);
    const self = memoryOf(process.pid);
    console.log('');
    console.log(`bench process peak memory (VmHWM): ${self.peakRssMiB.toFixed(1)} MiB`);

    if (WITH_HTTP) await overHttp(dataDir);
  } finally {
    removeTempDir(dataDir);
  }
}

async function writeCase(store: EventStore, caseId: string, size: number): Promise<void> {
  const events = caseHistoryEvents(caseId, size);
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
