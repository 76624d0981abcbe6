/**
 * HTTP throughput of the command mix against a bare Fastify JSON echo (SPEC section 10).
 *
 *   BENCH_DURATION   seconds per measured run (default 10)
 *   BENCH_WARMUP     seconds of unmeasured warm-up before each target (default 3)
 *   BENCH_LEVELS     connection counts for the mix (default 1,16,64)
 *   BENCH_POOL       cases created before the runs (default 1000)
 *   BENCH_CPU_PROF   a directory (kept): profile the service with V8 --cpu-prof, print a summary
 *                    (one profile per thread: main, then the writer and projection workers)
 *
 * CPU is read per thread from /proc: main, the writer and projection worker threads (they name
 * themselves, src/common/thread-name.ts), and the rest (libuv, V8 platform and GC threads).
 *
 * The service is the compiled `dist/main.js` in production mode with the embedded store in a
 * temp DATA_DIR. Any non-2xx answer or socket error fails the benchmark (exit code 1).
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon, { type Options, type Result } from 'autocannon';
import {
  createBody,
  mixRequests,
  newRecorder,
  percentile,
  STEPS,
  type MixRecorder,
} from './support/http-mix';
import { summarizeProfile } from './support/http-profile-summary';
import {
  envNumber,
  guardProcess,
  requestJson,
  startEcho,
  startService,
  type RunningService,
} from './support/http-service';
import {
  cpuByGroup,
  processCpuSeconds,
  THREAD_GROUPS,
  threadCpuOf,
  type ThreadGroup,
} from './support/thread-cpu';

const DURATION = envNumber('BENCH_DURATION', 10);
const WARMUP = envNumber('BENCH_WARMUP', 3);
const POOL = envNumber('BENCH_POOL', 1000);
const LEVELS = (process.env.BENCH_LEVELS ?? '1,16,64')
  .split(',')
  .map((level) => Number(level.trim()))
  .filter((level) => Number.isInteger(level) && level > 0);
const BASELINE_CONNECTIONS = 64;
const PROFILE_DIR = process.env.BENCH_CPU_PROF?.trim() || undefined;

// Runs, warm-ups, start-ups and the pool, with a generous margin: never more than this.
guardProcess('http.bench', 180 + (LEVELS.length + 1) * (DURATION + WARMUP + 15) + POOL / 20);

interface Row {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  detail: string;
  serviceCpu?: number;
  /**
   * CPU ms each group of threads spent per answered request: robust to a busy host, unlike
   * req/s, and it shows where the CPU goes (the load generator shares the cores).
   */
  cpuMsPerRequest?: Record<ThreadGroup, number>;
}

async function main(): Promise<void> {
  const [l1, l5, l15] = loadavg();
  console.log(
    `# http.bench: ${DURATION} s per run, ${WARMUP} s warm-up, levels ${LEVELS.join(', ')}`,
  );
  console.log(`load average at start: ${l1!.toFixed(2)} ${l5!.toFixed(2)} ${l15!.toFixed(2)}`);
  const rows: Row[] = [];

  // --- baseline: bare Fastify JSON echo --------------------------------------------------------
  const echo = await startEcho();
  try {
    const echoOptions: Options = {
      url: `${echo.baseUrl}/echo`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(createBody()),
      connections: BASELINE_CONNECTIONS,
    };
    if (WARMUP > 0) await cannon({ ...echoOptions, duration: WARMUP });
    const measure = measureCpu(echo.pid);
    const result = await cannon({ ...echoOptions, duration: DURATION });
    rows.push({
      ...summary('fastify echo (POST JSON)', BASELINE_CONNECTIONS, result),
      ...measure(result),
    });
  } finally {
    await echo.stop();
  }

  // --- the service ------------------------------------------------------------------------------
  const service = await startService({
    cpuProfDir: PROFILE_DIR ? makeProfileDir(PROFILE_DIR) : undefined,
  });
  let memory: { peakRssMiB: number; rssMiB: number } | undefined;
  const perStep: string[] = [];
  try {
    await createPool(service, POOL);
    if (WARMUP > 0) {
      const warm = await cannon(mixOptions(service, 16, WARMUP, newRecorder()));
      const failed = warm.non2xx + warm.errors + warm.timeouts;
      if (failed > 0) console.log(`warm-up had ${failed} failed requests`);
    }
    for (const connections of LEVELS) {
      const recorder = newRecorder();
      const measure = measureCpu(service.pid);
      const result = await cannon(mixOptions(service, connections, DURATION, recorder));
      rows.push({ ...summary(`case mix`, connections, result), ...measure(result) });
      perStep.push(stepLines(connections, recorder));
      if (recorder.failures.length > 0) {
        perStep.push(`  first failures:\n${recorder.failures.map((f) => `    ${f}`).join('\n')}`);
      }
    }
    memory = service.memory();
    const warnings = service.output().trim();
    if (warnings) console.log(`service output (LOG_LEVEL=warn):\n${warnings.slice(-3000)}`);
  } finally {
    await service.stop();
  }

  // --- report -----------------------------------------------------------------------------------
  const echoRps = rows[0]!.rps;
  console.log('');
  console.log(
    '| run | connections | requests/s | p50 ms | p99 ms | errors | vs echo@64 | service CPU | main thread CPU ms/req |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${row.connections} | ${row.rps.toFixed(0)} | ${row.p50.toFixed(2)} | ` +
        `${row.p99.toFixed(2)} | ${row.errors}${row.detail} | ${((100 * row.rps) / echoRps).toFixed(0)}% | ` +
        `${row.serviceCpu === undefined ? '' : `${(100 * row.serviceCpu).toFixed(0)}%`} | ` +
        `${row.cpuMsPerRequest === undefined ? '' : row.cpuMsPerRequest.main.toFixed(3)} |`,
    );
  }
  console.log('');
  console.log(
    "CPU ms per request by thread (writer and projection: the service's worker threads):",
  );
  console.log('');
  console.log(`| run | connections | ${THREAD_GROUPS.join(' | ')} | total |`);
  console.log(`|---|---:|${THREAD_GROUPS.map(() => '---:|').join('')}---:|`);
  for (const row of rows) {
    const spent = row.cpuMsPerRequest;
    if (!spent) continue;
    const total = THREAD_GROUPS.reduce((sum, group) => sum + spent[group], 0);
    console.log(
      `| ${row.name} | ${row.connections} | ` +
        `${THREAD_GROUPS.map((group) => spent[group].toFixed(3)).join(' | ')} | ${total.toFixed(3)} |`,
    );
  }
  console.log('');
  console.log('per step (client-side latency, ms):');
  console.log(perStep.join('\n'));
  if (memory) {
    console.log('');
    console.log(
      `service peak memory (VmHWM, kernel high-water mark of RSS): ${memory.peakRssMiB.toFixed(1)} MiB` +
        ` (RSS at the end ${memory.rssMiB.toFixed(1)} MiB)`,
    );
  }

  const at64 = rows.find(
    (row) => row.name === 'case mix' && row.connections === BASELINE_CONNECTIONS,
  );
  if (at64) {
    const ratio = at64.rps / echoRps;
    console.log('');
    console.log(
      `target (SPEC 10) at ${BASELINE_CONNECTIONS} connections: >= 50% of echo requests/s -> ` +
        `${(100 * ratio).toFixed(0)}% ${ratio >= 0.5 ? 'MET' : 'NOT MET'}; p99 < 25 ms -> ` +
        `${at64.p99.toFixed(1)} ms ${at64.p99 < 25 ? 'MET' : 'NOT MET'}`,
    );
  }
  if (PROFILE_DIR) printProfiles(PROFILE_DIR);

  const errors = rows.reduce((sum, row) => sum + row.errors, 0);
  if (errors > 0) {
    console.log(`FAILED: ${errors} requests failed (non-2xx, socket errors or timeouts)`);
    process.exitCode = 1;
  }
}

function mixOptions(
  service: RunningService,
  connections: number,
  duration: number,
  recorder: MixRecorder,
): Options {
  return {
    url: service.baseUrl,
    connections,
    duration,
    requests: mixRequests(service.token, recorder, connections),
  };
}

function cannon(options: Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon({ timeout: 10, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

function summary(name: string, connections: number, result: Result): Row {
  const errors = result.non2xx + result.errors + result.timeouts;
  const parts = [
    result.non2xx ? `${result.non2xx} non-2xx` : '',
    result.errors ? `${result.errors} socket errors` : '',
    result.timeouts ? `${result.timeouts} timeouts` : '',
  ].filter(Boolean);
  return {
    name,
    connections,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    detail: parts.length ? ` (${parts.join(', ')})` : '',
  };
}

function stepLines(connections: number, recorder: MixRecorder): string {
  const cells = STEPS.map((step) => {
    const samples = recorder.latencies[step];
    const codes = [...recorder.statuses[step].entries()]
      .filter(([status]) => status < 200 || status > 299)
      .map(([status, count]) => ` ${count}x${status}`)
      .join('');
    return `${step} ${percentile(samples, 50).toFixed(1)}/${percentile(samples, 99).toFixed(1)}${codes}`;
  });
  return `  ${String(connections).padStart(2)} conn (p50/p99): ${cells.join(', ')}`;
}

/** Cases that exist before the runs, so the store is not empty and the code paths are warm. */
async function createPool(service: RunningService, count: number): Promise<void> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const created = await requestJson(service, 'POST', '/cases', createBody());
      if (created.status !== 201)
        throw new Error(`pool create: ${created.status} ${JSON.stringify(created.body)}`);
      const id = created.body?.id as string;
      const transferred = await requestJson(service, 'POST', `/cases/${id}/transfer`, {
        queue: { id: 'HQU-5555-6666', name: 'Billing' },
      });
      if (transferred.status !== 200) throw new Error(`pool transfer: ${transferred.status}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  console.log(
    `pool: ${count} cases created and transferred in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/**
 * Reads the process's and each thread's CPU now; the returned function reads them again and
 * gives the process's share of a core over the run, and each thread group's ms per request.
 */
function measureCpu(pid: number): (result: Result) => Pick<Row, 'serviceCpu' | 'cpuMsPerRequest'> {
  const processBefore = processCpuSeconds(pid);
  const threadsBefore = threadCpuOf(pid);
  return (result) => {
    const spent = cpuByGroup(threadsBefore, threadCpuOf(pid));
    const requests = Math.max(result.requests.total, 1);
    const perRequest = Object.fromEntries(
      THREAD_GROUPS.map((group) => [group, (1000 * spent[group]) / requests]),
    ) as Record<ThreadGroup, number>;
    return {
      serviceCpu: (processCpuSeconds(pid) - processBefore) / result.duration,
      cpuMsPerRequest: perRequest,
    };
  };
}

function makeProfileDir(dir: string): string {
  const resolved = resolve(dir);
  mkdirSync(resolved, { recursive: true });
  return resolved;
}

function printProfiles(dir: string): void {
  const resolved = resolve(dir);
  for (const file of readdirSync(resolved).filter((f) => f.endsWith('.cpuprofile'))) {
    console.log('');
    console.log(summarizeProfile(join(resolved, file)));
  }
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  })
  .finally(() => {
    // Autocannon and fetch keep-alive sockets must not hold the process open.
    setTimeout(() => process.exit(), 100).unref();
  });
