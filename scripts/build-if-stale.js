// `npm start`: compiles only when dist/ is missing or older than the sources, so a restart on an
// unchanged checkout starts in a second instead of rerunning tsc (~20 s).
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
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
