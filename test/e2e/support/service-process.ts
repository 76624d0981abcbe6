import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { entryPointArgs } from '../../support/entry-point';

const ROOT = join(__dirname, '..', '..', '..');

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  /** Everything the process printed so far: its log on stdout, then the dev tokens on stderr. */
  output(): string;
  /** Sends the signal and resolves with how the process ended. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `src/main.ts` as its own process, as `npm start` would, and waits until it listens. */
export async function spawnService(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, entryPointArgs('main'), {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`service did not start:\n${stdout}\n${stderr}`)),
      60_000,
    );
    // In dev mode the tokens follow the listening line, on stderr: wait for both.
    const printsTokens = !env.JWT_SECRET && env.NODE_ENV !== 'production';
    const check = () => {
      const url = /"msg":"Listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(stdout)?.[1];
      if (url && (!printsTokens || /export VENDOR_TOKEN=\S+/.test(stderr))) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    child,
    baseUrl,
    output: () => `${stdout}${stderr}`,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await once(child, 'exit');
      }
      return { code: child.exitCode, signal: child.signalCode };
    },
  };
}
