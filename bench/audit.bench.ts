/**
 * The audit tool on a large history (SPEC section 10): `export` and `verify` must stream at
 * least 300,000 events/s with peak memory under 200 MB on one million events.
 *
 *   AUDIT_BENCH_EVENTS   events to generate (default 1000000)
 *   AUDIT_BENCH_DIR      data directory to use and keep (default: a temp dir, removed after)
 *
 *   AUDIT_BENCH_SOURCE   1: run the commands from `src` through ts-node instead of compiled
 *
 * The history is generated once into an embedded store through the store port (a kept
 * AUDIT_BENCH_DIR that already holds a store is reused as it is); each command then runs in a
 * fresh child process, so its RSS high-water mark is its own and not the generator's. The
 * children run the compiled CLI functions, as `npx case-audit` does: `BENCH_SERVICE_DIST` when
 * `bench/run.ts` passes it, otherwise a build made here (ts-node alone adds ~50 MB of RSS and
 * its own compile time, which no user of the tool pays).
 * Run alone: node -r ts-node/register/transpile-only bench/audit.bench.ts
 */
import { CaseEventStream } from '../src/cases/application/case-event-stream';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openSqliteEventStore } from '../src/event-store/sqlite/sqlite.event-store';
import { loadAuditConfig } from '../src/config/audit.config';
import { openAuditStore } from '../src/cli/audit.store';
import { runExport } from '../src/cli/export.command';
import { runVerify } from '../src/cli/verify.command';
import { EVENTS_FILE_NAME } from '../src/event-store/sqlite/sqlite.schema';
import { generateCaseHistory } from './support/case-history.generator';
import { buildService } from './support/http-service';

const TARGET_EVENTS_PER_SECOND = 300_000;
const TARGET_PEAK_MB = 200;
const MB = 1024 * 1024;

interface Measurement {
  readonly command: string;
  readonly events: number;
  readonly seconds: number;
  /** RSS once the store is open, before the command reads anything. */
  readonly startRssMb: number;
  /** The process's RSS high-water mark (getrusage maxrss). */
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
}

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/** Child mode: run one command over DATA_DIR and report on stdout as one JSON line. */
async function measure(command: 'export' | 'verify', dataDir: string): Promise<void> {
  const store = await openAuditStore(loadAuditConfig({ DATA_DIR: dataDir }));
  let peakHeap = 0;
  const sampler = setInterval(
    () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)),
    20,
  );
  const startRss = process.memoryUsage.rss();
  const started = process.hrtime.bigint();
  const events =
    command === 'export'
      ? (await runExport(new CaseEventStream(store), { format: 'jsonl' }, discard(), discard()))
          .events
      : (await runVerify(new CaseEventStream(store), {}, discard(), discard())).events;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  await store.close();
  const result: Measurement = {
    command,
    events,
    seconds,
    startRssMb: startRss / MB,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    peakHeapMb: peakHeap / MB,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * The child of a compiled run: the same measurement as `measure`, over the compiled modules in
 * `dist` (argv: command, data dir, dist), with nothing of ts-node loaded.
 */
const COMPILED_CHILD = `
const [command, dataDir, dist] = process.argv.slice(1);
const { Writable } = require('node:stream');
const { loadAuditConfig } = require(dist + '/cli/audit.config.js');
const { openAuditStore } = require(dist + '/cli/audit.store.js');
const { runExport } = require(dist + '/cli/export.command.js');
const { runVerify } = require(dist + '/cli/verify.command.js');
const discard = () => new Writable({ write: (_c, _e, done) => done() });
(async () => {
  const store = await openAuditStore(loadAuditConfig({ DATA_DIR: dataDir }));
  let peakHeap = 0;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
  const startRss = process.memoryUsage.rss();
  const started = process.hrtime.bigint();
  const events = command === 'export'
    ? (await runExport(store, { format: 'jsonl' }, discard(), discard())).events
    : (await runVerify(store, {}, discard(), discard())).events;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  await store.close();
  const MB = 1024 * 1024;
  process.stdout.write(JSON.stringify({ command, events, seconds, startRssMb: startRss / MB,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB, peakHeapMb: peakHeap / MB }) + '\\n');
})().catch((error) => { process.stderr.write(String(error && error.stack || error) + '\\n'); process.exitCode = 1; });
`;

function runChild(
  command: string,
  dataDir: string,
  dist: string | undefined,
): Promise<Measurement> {
  // The flag `npm run audit` runs with (docs/audit-cli.md): short-lived pages die young.
  const args = dist
    ? ['--max-semi-space-size=32', '-e', COMPILED_CHILD, command, dataDir, dist]
    : [
        '--max-semi-space-size=32',
        '-r',
        'ts-node/register/transpile-only',
        __filename,
        '--measure',
        command,
        dataDir,
      ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`${command} child exited with ${code}: ${out}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as Measurement);
    });
  });
}

/** The compiled `src` the children run, or `undefined` for ts-node (AUDIT_BENCH_SOURCE=1). */
function compiledService(): string | undefined {
  if (process.env.AUDIT_BENCH_SOURCE === '1') return undefined;
  const given = process.env.BENCH_SERVICE_DIST?.trim();
  if (given) return given;
  const started = Date.now();
  const dist = buildService();
  console.log(
    `audit.bench: built src into ${dist} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return dist;
}

async function main(): Promise<void> {
  const wanted = Number(process.env.AUDIT_BENCH_EVENTS ?? 1_000_000);
  const keep = process.env.AUDIT_BENCH_DIR?.trim();
  const dataDir = keep || mkdtempSync(join(tmpdir(), 'case-audit-bench-'));
  try {
    if (existsSync(join(dataDir, EVENTS_FILE_NAME))) {
      console.log(`audit.bench: reusing the history already in ${dataDir}`);
    } else {
      const store = await openSqliteEventStore({ dataDir });
      const started = Date.now();
      let reported = 0;
      const events = await generateCaseHistory(store, {
        events: wanted,
        onProgress: (written) => {
          if (written - reported < 100_000) return;
          reported = written;
          process.stderr.write(`  generated ${written.toLocaleString('en-US')} events\r`);
        },
      });
      await store.close();
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `audit.bench: generated ${events.toLocaleString('en-US')} case events in ${seconds.toFixed(1)} s into ${dataDir}`,
      );
    }
    const dist = compiledService();
    console.log(
      `audit.bench: running ${dist ? `the compiled CLI functions in ${dist}` : 'the CLI functions from src through ts-node'} ` +
        '(node --max-semi-space-size=32)',
    );

    let allMet = true;
    for (const command of ['export', 'verify']) {
      const m = await runChild(command, dataDir, dist);
      const rate = m.events / m.seconds;
      const met = rate >= TARGET_EVENTS_PER_SECOND && m.peakRssMb < TARGET_PEAK_MB;
      allMet &&= met;
      console.log(
        `audit.bench: ${command.padEnd(6)} ${m.events.toLocaleString('en-US')} events in ${m.seconds.toFixed(2)} s = ` +
          `${Math.round(rate).toLocaleString('en-US')} events/s; peak RSS ${m.peakRssMb.toFixed(0)} MB ` +
          `(${m.startRssMb.toFixed(0)} MB before reading), peak heap ${m.peakHeapMb.toFixed(0)} MB ` +
          `[target >= ${TARGET_EVENTS_PER_SECOND.toLocaleString('en-US')} events/s, < ${TARGET_PEAK_MB} MB: ${met ? 'met' : 'MISSED'}]`,
      );
    }
    console.log(`audit.bench: ${allMet ? 'all targets met' : 'a target was missed'}`);
  } finally {
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--measure') {
  measure(process.argv[3] as 'export' | 'verify', process.argv[4]!).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  main().catch((error: unknown) => {
    process.stderr.write(
      `audit.bench failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
