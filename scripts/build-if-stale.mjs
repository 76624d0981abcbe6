// `npm start`: compiles only when dist/ is missing or older than the sources, so a restart on an
// unchanged checkout starts in a second instead of rerunning tsc (~20 s).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce(
      (max, entry) => Math.max(max, mtime(join(entry.parentPath ?? entry.path, entry.name))),
      0,
    );

const built = mtime(join(root, 'dist', 'main.js'));
const sources = Math.max(
  newest(join(root, 'src')),
  ...['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) =>
    mtime(join(root, f)),
  ),
);
if (built < sources) {
  process.stderr.write('Compiling (dist/ is missing or older than src/)...\n');
  const result = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
