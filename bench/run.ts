/**
 * `npm run bench`: prints the machine, builds the service once (compiled JS, as production
 * runs it), then runs every `bench/*.bench.ts` in turn, each in its own process so that memory
 * figures are its own, passing its output through. `npm run bench -- http load` runs only the
 * benchmarks whose file names contain one of the words.
 *
 * Children get `BENCH_SERVICE_DIST` (the compiled `dist` dir; `<it>/main.js` is the service)
 * and `BENCH_QUICK=1` is turned into short durations for a smoke run.
 * Every bench is bounded by `BENCH_MAX_SECONDS` (default 1500) and is killed past it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type, arch } from 'node:os';
import { dirname, join } from 'node:path';
import { buildService } from './support/http-service';

const BENCH_DIR = __dirname;
const ROOT = join(BENCH_DIR, '..');
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 1500);

const QUICK_ENV: Record<string, string> = {
  BENCH_DURATION: '3',
  BENCH_WARMUP: '1',
  BENCH_POOL: '100',
  BENCH_LOAD_REPS: '10',
};

function machineHeader(): string {
  const cpuList = cpus();
  const models = [...new Set(cpuList.map((cpu) => cpu.model.trim()))].join(', ');
  const osRelease = existsSync('/etc/os-release')
    ? /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1]
    : undefined;
  const [l1, l5, l15] = loadavg();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
    })
      .toString()
      .trim();
    if (dirty) commit += ' (working tree has uncommitted changes)';
  } catch {
    // not a git checkout
  }
  return [
    '# Case service benchmarks',
    `date:    ${new Date().toISOString()}`,
    `cpu:     ${models} x ${cpuList.length}`,
    `memory:  ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `node:    ${process.version} (V8 ${process.versions.v8})`,
    `os:      ${osRelease ?? type()} / ${type()} ${release()} ${arch()}`,
    `load:    ${l1!.toFixed(2)} ${l5!.toFixed(2)} ${l15!.toFixed(2)} (1/5/15 min average at start)`,
    `commit:  ${commit}`,
  ].join('\n');
}

function benchFiles(filters: string[]): string[] {
  return readdirSync(BENCH_DIR)
    .filter((file) => file.endsWith('.bench.ts'))
    .filter((file) => filters.length === 0 || filters.some((word) => file.includes(word)))
    .sort();
}

let current: ReturnType<typeof spawn> | undefined;
let buildRoot: string | undefined;

function cleanUp(): void {
  if (current?.pid && current.exitCode === null) {
    try {
      process.kill(-current.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (buildRoot) rmSync(buildRoot, { recursive: true, force: true });
  buildRoot = undefined;
}

/** Runs one bench in its own process group, so it and its children can be stopped together. */
function runOne(
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(BENCH_DIR, file)],
      {
        cwd: ROOT,
        env,
        stdio: 'inherit',
        detached: true,
      },
    );
    current = child;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      console.log(`\n${file}: over ${MAX_SECONDS} s, stopping it`);
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 10_000).unref();
    }, MAX_SECONDS * 1000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      // Whatever the bench left behind in its group (it should have left nothing).
      kill('SIGKILL');
      resolve({ code: code ?? (signal ? 128 : 1), seconds: (performance.now() - started) / 1000 });
    });
  });
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = benchFiles(filters);
  console.log(machineHeader());
  console.log(`benches: ${files.join(', ') || '(none found)'}`);
  if (files.length === 0) return;

  const quick = process.env.BENCH_QUICK === '1' ? QUICK_ENV : {};
  let dist = process.env.BENCH_SERVICE_DIST;
  if (!dist) {
    const started = performance.now();
    dist = buildService({ keep: true });
    buildRoot = dirname(dist);
    console.log(
      `service built into ${dist} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const env = { ...quick, ...process.env, BENCH_SERVICE_DIST: dist };
  if (process.env.BENCH_QUICK === '1') console.log(`quick run: ${JSON.stringify(QUICK_ENV)}`);

  const failed: string[] = [];
  for (const file of files) {
    console.log(`\n## ${file}\n`);
    const { code, seconds } = await runOne(file, env);
    console.log(`\n(${file}: exit code ${code}, ${seconds.toFixed(1)} s)`);
    if (code !== 0) failed.push(file);
  }
  if (failed.length > 0) {
    console.log(`\nFAILED: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}
process.on('exit', cleanUp);

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
