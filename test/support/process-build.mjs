/**
 * Jest global setup and teardown: compiles `src/` once per run (with swc, the way `nest build
 * -b swc` would) into a temporary `dist/`, so specs that start the service or a CLI as its own
 * process run plain JavaScript instead of paying ts-node's start-up on every spawn. Its layout
 * mirrors `npm run build` (`dist/` next to `schemas/`, `node_modules/` and `package.json`).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';
import OPTIONS from './swc.options.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENV = 'CASE_SERVICE_TEST_BUILD';

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

export async function setup() {
  const build = mkdtempSync(join(tmpdir(), 'case-service-build-'));
  for (const shared of ['node_modules', 'schemas']) {
    symlinkSync(join(ROOT, shared), join(build, shared), 'dir');
  }
  // The audit CLI's --version reads it, two levels above dist/cli as in a real build.
  symlinkSync(join(ROOT, 'package.json'), join(build, 'package.json'), 'file');
  const src = join(ROOT, 'src');
  await Promise.all(
    sources(src).map(async (file) => {
      const { code } = await swc.transformFile(file, OPTIONS);
      const out = join(build, 'dist', relative(src, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, code);
    }),
  );
  process.env[ENV] = join(build, 'dist');
}

export async function teardown() {
  const dist = process.env[ENV];
  if (dist) rmSync(dirname(dist), { recursive: true, force: true });
}
