/** What a wait reads of a projection, fresh on each check. */
export interface CheckpointSource {
  readonly name: string;
  checkpoint(): bigint | undefined;
  failure(): string | undefined;
}

/**
 * Callers waiting for a projection to reach a position: they check again each time the
 * projection reports progress (and at least every 50 ms, for progress made by another
 * connection, such as a rebuild switching generations).
 */
export class CheckpointWaiters {
  private readonly listeners = new Set<() => void>();

  /** Resolves once `source` reflects `position`; rejects on a failure or after `timeoutMs`. */
  async waitFor(position: bigint, timeoutMs: number, source: CheckpointSource): Promise<void> {
    const reached = () => (source.checkpoint() ?? -1n) >= position;
    if (await this.until(() => reached() || Boolean(source.failure()), timeoutMs)) {
      if (reached()) return;
      throw new Error(source.failure());
    }
    throw new Error(
      `Projection ${source.name} is at ${source.checkpoint() ?? 'the start'}, not yet at ${position}, after ${timeoutMs} ms.`,
    );
  }

  /** True once `done()` holds, checked on every {@link notify}; false after `timeoutMs`. */
  async until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() >= deadline) return false;
      await this.next(Math.min(50, deadline - Date.now()));
    }
    return true;
  }

  /** Wakes every waiter to check again. */
  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private next(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(timeoutMs, 0));
      this.listeners.add(done);
    });
  }
}
