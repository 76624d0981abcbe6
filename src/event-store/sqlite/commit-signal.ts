/**
 * Wakes subscriptions when the writer commits. A waiter passes the version it saw before its
 * last read, so a commit that lands between that read and the wait is never slept through.
 */
export class CommitSignal {
  private version = 0;
  private readonly waiters = new Set<() => void>();

  get current(): number {
    return this.version;
  }

  notify(): void {
    this.version += 1;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  /**
   * Resolves on the first commit after `seen`, after `timeoutMs` (for commits this process
   * cannot hear about, such as another process's), or when `abort` fires.
   */
  wait(seen: number, timeoutMs: number, abort: AbortSignal): Promise<void> {
    if (this.version !== seen || abort.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        abort.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.waiters.add(wake);
      abort.addEventListener('abort', wake, { once: true });
    });
  }
}
