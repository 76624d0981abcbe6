/**
 * Child processes for the benchmarks: the real service (compiled, production mode) and the
 * bare Fastify echo server. Every child is registered so that it is killed when the bench
 * ends, whether it ends normally, throws, or is interrupted; every temp dir is removed the
 * same way. Only 127.0.0.1 is ever targeted.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_PRINCIPALS } from '../../src/identity/dev-tokens';
import { claimsOf } from '../../src/identity/principal';
import { mintToken } from '../../src/identity/token-minter';

export const ROOT = join(__dirname, '..', '..');
export const HOST = '127.0.0.1';
import { BASE_PATH } from '../../src/common/api-base-path';

export { BASE_PATH };

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** Kills every registered child and removes every temp dir; synchronous, so it runs on exit. */
export function cleanUpNow(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let guarded = false;
/**
 * Installs the exit guards and a watchdog: after `maxSeconds` the bench is stopped, its
 * children killed, and it exits with a failure, so a stuck run can never outlive its budget.
 */
export function guardProcess(name: string, maxSeconds: number): void {
  if (guarded) return;
  guarded = true;
  process.on('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`${name}: ${signal}, stopping\n`);
      cleanUpNow();
      process.exit(130);
    });
  }
  process.on('unhandledRejection', (error) => {
    process.stderr.write(`${name}: ${(error as Error)?.stack ?? String(error)}\n`);
    cleanUpNow();
    process.exit(1);
  });
  const watchdog = setTimeout(() => {
    process.stderr.write(`${name}: over its ${maxSeconds} s budget, stopping\n`);
    cleanUpNow();
    process.exit(124);
  }, maxSeconds * 1000);
  watchdog.unref();
}

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** A number from the environment, or the default. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number, got ${raw}`);
  return value;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The compiled service: `BENCH_SERVICE_DIST` (set by `bench/run.ts`, which builds once) or a
 * fresh `tsc -p tsconfig.build.json` into a private temp dir, so the shared `dist/` of the
 * working tree is never touched. The temp root links `node_modules` and `schemas` so the
 * compiled code resolves exactly as it does from the repository's own `dist/`.
 */
export function compiledServiceMain(): string {
  const given = process.env.BENCH_SERVICE_DIST;
  if (given) return join(given, 'main.js');
  return join(buildService(), 'main.js');
}

/** Builds `src` into `<temp>/dist` and returns that dist dir (removed when the bench ends). */
export function buildService(options: { keep?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'case-bench-build-'));
  if (!options.keep) tempDirs.add(root);
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  symlinkSync(join(ROOT, 'schemas'), join(root, 'schemas'), 'dir');
  const dist = join(root, 'dist');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(
      process.execPath,
      [tsc, '-p', 'tsconfig.build.json', '--outDir', dist, '--sourceMap', 'false'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 },
    );
  } catch (error) {
    // tsc still emits on type errors (someone's work in progress); refuse only if nothing came out.
    const output = String((error as { stdout?: Buffer }).stdout ?? '').trim();
    if (!existsSync(join(dist, 'main.js'))) throw new Error(`build failed:\n${output}`);
    process.stderr.write(
      `warning: the build reported errors, benchmarking what it emitted:\n${output}\n`,
    );
  }
  return dist;
}

export interface RunningService {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly baseUrl: string;
  readonly token: string;
  readonly dataDir: string;
  /** stdout + stderr so far (LOG_LEVEL=warn: only warnings and errors). */
  output(): string;
  /** Kernel's own memory figures for the process (VmHWM = peak RSS), in MiB. */
  memory(): { peakRssMiB: number; rssMiB: number };
  stop(): Promise<void>;
}

export interface ServiceOptions {
  readonly dataDir?: string;
  readonly logLevel?: string;
  /** Write a V8 CPU profile of the service into this directory when it stops. */
  readonly cpuProfDir?: string;
  /** More environment for the service (limits a bench needs raised, say). */
  readonly env?: Record<string, string>;
}

/**
 * The V8 flags production starts the service with (package.json `start`, the Dockerfile's
 * CMD). `BENCH_NODE_FLAGS` replaces them, space-separated (empty: none), to compare.
 */
export const SERVICE_NODE_FLAGS = ['--heap-growing-percent=10'];

function serviceNodeFlags(): string[] {
  const given = process.env.BENCH_NODE_FLAGS;
  return given === undefined ? SERVICE_NODE_FLAGS : given.split(' ').filter(Boolean);
}

/**
 * Starts `dist/main.js` with NODE_ENV=production, a JWT_SECRET, the embedded store in a temp
 * DATA_DIR, on 127.0.0.1 and a free port; resolves once `/health/ready` answers 200.
 */
export async function startService(options: ServiceOptions = {}): Promise<RunningService> {
  const main = compiledServiceMain();
  const dataDir = options.dataDir ?? makeTempDir('case-bench-data-');
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  const nodeArgs = [
    ...serviceNodeFlags(),
    ...(options.cpuProfDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${options.cpuProfDir}`,
          // Nest re-raises the shutdown signal after closing, which skips writing the profile:
          // a plain exit on SIGUSR2 lets V8 write it.
          '-e',
          `process.once('SIGUSR2', () => process.exit(0)); require(${JSON.stringify(main)});`,
        ]
      : [main]),
  ];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST,
      PORT: String(port),
      DATA_DIR: dataDir,
      EVENT_STORE: 'sqlite',
      LOG_LEVEL: options.logLevel ?? 'warn',
      JWT_SECRET: secret,
      PII_MASTER_KEY: randomBytes(32).toString('hex'),
      // Passed through so a run can compare cache sizes (0 = off); unset = the service default.
      ...(process.env.CASE_CACHE_CASES && { CASE_CACHE_CASES: process.env.CASE_CACHE_CASES }),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const baseUrl = `http://${HOST}:${port}`;
  await waitUntilReady(`${baseUrl}/health/ready`, child, () => output, 60_000);
  const token = await mintToken(claimsOf(DEV_PRINCIPALS.operations), {
    secret: new TextEncoder().encode(secret),
    expiresInSeconds: 3600,
  });
  const pid = child.pid!;
  return {
    child,
    pid,
    baseUrl,
    token,
    dataDir,
    output: () => output,
    memory: () => memoryOf(pid),
    async stop() {
      await stopChild(child, options.cpuProfDir ? 'SIGUSR2' : 'SIGTERM', 15_000);
    },
  };
}

/** Starts the bare Fastify JSON echo server; resolves with its base URL. */
export async function startEcho(): Promise<{
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'http-echo-server.ts')],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', HOST },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`echo did not start: ${output}`)), 30_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const url = /^listening (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`echo exited with ${code}: ${output}`));
    });
  });
  return { baseUrl, pid: child.pid!, stop: () => stopChild(child, 'SIGTERM', 5_000) };
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`service exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`service not ready after ${timeoutMs} ms:\n${output()}`);
}

/** Sends `signal`, waits up to `graceMs`, then SIGKILLs. */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  children.delete(child);
}

/** Reads `/proc/<pid>/status`: VmHWM is the kernel's high-water mark of the resident set. */
export function memoryOf(pid: number): { peakRssMiB: number; rssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakRssMiB: kib('VmHWM') / 1024, rssMiB: kib('VmRSS') / 1024 };
}

/** JSON request helper for set-up work (not measured). */
export async function requestJson(
  service: Pick<RunningService, 'baseUrl' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
  const response = await fetch(`${service.baseUrl}${BASE_PATH}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${service.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}
