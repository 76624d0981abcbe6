import { join } from 'node:path';

/**
 * The node arguments that run one of the service's entry points (`main`, `cli/audit`, …) as
 * its own process: the run's compiled build when the jest global setup made one
 * (test/support/process-build.mjs), else the TypeScript source through ts-node, as the npm
 * scripts run it. Relative to the project root, which is where specs spawn.
 */
export function entryPointArgs(entry: string): string[] {
  const build = process.env.CASE_SERVICE_TEST_BUILD;
  return build
    ? [join(build, `${entry}.js`)]
    : ['-r', 'ts-node/register/transpile-only', `src/${entry}.ts`];
}
