import { existsSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * Set by the jest global setup (test/support/process-build.mjs) to the `dist/` it compiled from
 * `src/` for this run: workers load that JavaScript instead of transpiling TypeScript on start.
 */
export const TEST_BUILD_ENV = 'CASE_SERVICE_TEST_BUILD';

const SRC_ROOT = join(__dirname, '..');

export interface WorkerScript {
  readonly file: string;
  readonly execArgv?: WorkerOptions['execArgv'];
}

/**
 * Where a worker thread's entry file is, given the file that starts it (`__filename`) and the
 * entry's name without extension, in the same folder. A `worker_threads` Worker runs plain
 * Node: it cannot load `.ts` by itself, and the jest transform does not reach into it.
 * - From `dist/` (`npm start`, the image): the compiled `.js` next to the caller.
 * - Under jest: the same file in the run's swc build (same sources, compiled once per run).
 * - Under ts-node (`npm run start:dev`, scripts): the `.ts`, with ts-node registered in the
 *   worker (transpile only, as the caller runs).
 */
export function workerScript(callerFile: string, entry: string): WorkerScript {
  const folder = join(callerFile, '..');
  if (extname(callerFile) !== '.ts') return { file: join(folder, `${entry}.js`) };
  const testBuild = process.env[TEST_BUILD_ENV];
  if (testBuild) {
    const compiled = join(testBuild, relative(SRC_ROOT, folder), `${entry}.js`);
    if (existsSync(compiled)) return { file: compiled };
  }
  return {
    file: join(folder, `${entry}.ts`),
    execArgv: ['-r', require.resolve('ts-node/register/transpile-only')],
  };
}
