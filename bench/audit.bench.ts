/**
 * The audit tool on a large history (SPEC section 10): `export` and `verify` must stream at
 * least 300,000 events/s with peak memory under 200 MB on one million events.
 *
 *   AUDIT_BENCH_EVENTS     events to generate (default 1000000)
 *   AUDIT_BENCH_DIR        data directory to use and keep (default: a temp dir, removed after)
 *   AUDIT_BENCH_SEALED     1: generate the history as the service writes it by default, personal
 *                          fields sealed (`pii:1:` envelopes, keys in the directory's own vault)
 *   AUDIT_BENCH_COMMANDS   which to run, comma-separated (default export,verify)
 *   AUDIT_BENCH_REPS       runs of each command, alternating (default 1)
 *   AUDIT_BENCH_NODE_ARGS  extra node flags for the children, e.g. `--cpu-prof`
 *   AUDIT_BENCH_SOURCE     1: run the commands from `src` through ts-node instead of compiled
 *
 * The history is generated once into an embedded store through the store port (a kept
 * AUDIT_BENCH_DIR that already holds a store is reused as it is, sealed or not, whatever
 * AUDIT_BENCH_SEALED says); each command then runs in a fresh child process, so its RSS
 * high-water mark is its own and not the generator's. The children build the case event stream
 * as the `case-audit` program does (store, vault, `createCaseEventStream`) and run the compiled
 * CLI functions, as `npx case-audit` does: `BENCH_SERVICE_DIST` when given (`bench/run.ts`
 * passes it; an A/B passes each build's), otherwise a build made here (ts-node alone adds
 * ~50 MB of RSS and its own compile time, which no user of the tool pays).
 * Run alone: node -r ts-node/register/transpile-only bench/audit.bench.ts
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseEventPrivacy } from '../src/cases/application/case-event.privacy';
import { loadAuditConfig } from '../src/config/audit.config';
import { openSqliteEventStore } from '../src/event-store/sqlite/sqlite.event-store';
import { EVENTS_FILE_NAME } from '../src/event-store/sqlite/sqlite.schema';
import { openPersonalDataVault } from '../src/personal-data/open-vault';
import { generateCaseHistory } from './support/case-history.generator';
import { buildService } from './support/http-service';

const TARGET_EVENTS_PER_SECOND = 300_000;
const TARGET_PEAK_MB = 200;

interface Measurement {
  readonly command: string;
  readonly events: number;
  /** verify only */
  readonly anomalies?: number;
  readonly seconds: number;
  /**
   * CPU time the child spent (all its threads): on a machine shared with other work, the
   * steadier figure to compare two builds by.
   */
  readonly cpuSeconds: number;
  /** RSS once the store is open, before the command reads anything. */
  readonly startRssMb: number;
  /** The process's RSS high-water mark (getrusage maxrss). */
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
}

/**
 * The child: opens the store and the vault (through the CLI's own `withAuditStore`), builds the case event stream exactly as the
 * `case-audit` program does (`createCaseEventStream(store, { vault })`), runs one command into a
 * discarding sink and reports on stdout as one JSON line. argv: command, data dir, and the
 * root of the modules (a compiled `dist`, or `src` when the child runs under ts-node).
 */
const CHILD = `
const [command, dataDir, root] = process.argv.slice(1);
const { Writable } = require('node:stream');
const { loadAuditConfig } = require(root + '/config/audit.config');
const { withAuditStore } = require(root + '/cli/audit.store');
const { createCaseEventStream } = require(root + '/cases/application/case-event-stream.factory');
const { runExport } = require(root + '/cli/export.command');
const { runVerify } = require(root + '/cli/verify.command');
const discard = () => new Writable({ write: (_c, _e, done) => done() });
(async () => {
  const config = loadAuditConfig({ DATA_DIR: dataDir });
  const report = await withAuditStore(config, {}, async (store, vault) => {
    const stream = createCaseEventStream(store, { vault });
    let peakHeap = 0;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
    const startRss = process.memoryUsage.rss();
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const result = command === 'export'
      ? await runExport(stream, { format: 'jsonl' }, discard(), discard())
      : await runVerify(stream, {}, discard(), discard());
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    return { result, seconds, cpu, startRss, peakHeap };
  });
  const { result, seconds, cpu, startRss, peakHeap } = report;
  const MB = 1024 * 1024;
  process.stdout.write(JSON.stringify({ command, events: result.events, anomalies: result.anomalies,
    seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, startRssMb: startRss / MB, peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    peakHeapMb: peakHeap / MB }) + '\\n');
})().catch((error) => { process.stderr.write(String(error && error.stack || error) + '\\n'); process.exitCode = 1; });
`;

function runChild(
  command: string,
  dataDir: string,
  dist: string | undefined,
): Promise<Measurement> {
  // The flag `npm run audit` runs with (docs/audit-cli.md): short-lived pages die young.
  const extra = (process.env.AUDIT_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const args = [
    '--max-semi-space-size=32',
    ...extra,
    ...(dist ? [] : ['-r', 'ts-node/register/transpile-only']),
    '-e',
    CHILD,
    command,
    dataDir,
    dist ?? join(__dirname, '..', 'src'),
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

/** Writes the history, sealed through the data directory's own vault when asked to. */
async function generate(dataDir: string, wanted: number, sealed: boolean): Promise<void> {
  const store = await openSqliteEventStore({ dataDir });
  // The development master key kept in the directory: the children's vault opens with it.
  const vault = sealed
    ? await openPersonalDataVault(loadAuditConfig({ DATA_DIR: dataDir }))
    : undefined;
  const privacy = vault && new CaseEventPrivacy(vault);
  const started = Date.now();
  let reported = 0;
  try {
    const events = await generateCaseHistory(store, {
      events: wanted,
      seal: privacy && ((batch, reporterId) => privacy.seal(batch, reporterId)),
      onProgress: (written) => {
        if (written - reported < 100_000) return;
        reported = written;
        process.stderr.write(`  generated ${written.toLocaleString('en-US')} events\r`);
      },
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `audit.bench: generated ${events.toLocaleString('en-US')} case events${sealed ? ', personal fields sealed,' : ''} ` +
        `in ${seconds.toFixed(1)} s into ${dataDir}`,
    );
  } finally {
    await vault?.close();
    await store.close();
  }
}

async function main(): Promise<void> {
  const wanted = Number(process.env.AUDIT_BENCH_EVENTS ?? 1_000_000);
  const keep = process.env.AUDIT_BENCH_DIR?.trim();
  const commands = (process.env.AUDIT_BENCH_COMMANDS ?? 'export,verify').split(',');
  const reps = Math.max(1, Number(process.env.AUDIT_BENCH_REPS ?? 1));
  const dataDir = keep || mkdtempSync(join(tmpdir(), 'case-audit-bench-'));
  try {
    if (existsSync(join(dataDir, EVENTS_FILE_NAME))) {
      console.log(`audit.bench: reusing the history already in ${dataDir}`);
    } else {
      await generate(dataDir, wanted, process.env.AUDIT_BENCH_SEALED === '1');
    }
    const dist = compiledService();
    console.log(
      `audit.bench: running ${dist ? `the compiled CLI functions in ${dist}` : 'the CLI functions from src through ts-node'} ` +
        `(node --max-semi-space-size=32); load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );

    let allMet = true;
    for (let rep = 0; rep < reps; rep += 1) {
      for (const command of commands) {
        const m = await runChild(command, dataDir, dist);
        const rate = m.events / m.seconds;
        const met = rate >= TARGET_EVENTS_PER_SECOND && m.peakRssMb < TARGET_PEAK_MB;
        allMet &&= met;
        console.log(
          `audit.bench: ${command.padEnd(6)} ${m.events.toLocaleString('en-US')} events in ${m.seconds.toFixed(2)} s = ` +
            `${Math.round(rate).toLocaleString('en-US')} events/s ` +
            `(${m.cpuSeconds.toFixed(2)} CPU s: ${Math.round(m.events / m.cpuSeconds).toLocaleString('en-US')} per CPU s); peak RSS ${m.peakRssMb.toFixed(0)} MB ` +
            `(${m.startRssMb.toFixed(0)} MB before reading), peak heap ${m.peakHeapMb.toFixed(0)} MB` +
            (m.anomalies === undefined ? '' : `, ${m.anomalies} anomalies`) +
            ` [target >= ${TARGET_EVENTS_PER_SECOND.toLocaleString('en-US')} events/s, < ${TARGET_PEAK_MB} MB: ${met ? 'met' : 'MISSED'}]`,
        );
      }
    }
    console.log(`audit.bench: ${allMet ? 'all targets met' : 'a target was missed'}`);
  } finally {
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `audit.bench failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exitCode = 1;
});
