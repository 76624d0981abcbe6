import { writeFileSync } from 'node:fs';

/**
 * Names the calling OS thread (Linux: `/proc/thread-self/comm`, 15 bytes at most), so `top -H`,
 * `ps -L` and the HTTP benchmark's per-thread CPU table can tell the service's threads apart:
 * Node 20 leaves every thread named `node`. Best effort: elsewhere it does nothing.
 */
export function nameThisThread(name: string): void {
  try {
    writeFileSync('/proc/thread-self/comm', name.slice(0, 15));
  } catch {
    // Not Linux, or /proc not mounted: the name only helps diagnostics.
  }
}
