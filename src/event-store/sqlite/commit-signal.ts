/**
 * Wakes subscriptions when the writer commits. A waiter passes the version it saw before its
 * last read, so a commit that lands between that read and the wait is never slept through.
 *
 * Versions are counted per stream prefix: a commit names the streams it wrote, and only the
 * prefixes one of them starts with move on, so a subscription to rare streams (erasures) is not
 * woken, and does not read, for every case command. A commit relayed from another thread names
 * the prefix of its streams, or nothing, which moves every prefix. Commits by other processes are not signalled at all:
 * the subscriptions' poll finds them, whatever their streams.
 */
export class CommitSignal {
  /** Commits seen, per stream prefix a subscription asked about ('' is every stream). */
  private readonly versions = new Map<string, number>([['', 0]]);
  private readonly waiters = new Set<{ prefix: string; seen: number; wake: () => void }>();

  /** The version of `streamPrefix` (every stream when omitted): pass it to {@link wait}. */
  current(streamPrefix = ''): number {
    let version = this.versions.get(streamPrefix);
    if (version === undefined) {
      version = 0;
      this.versions.set(streamPrefix, version);
    }
    return version;
  }

  /** A commit of `streamIds`, or of unknown streams when omitted. */
  notify(streamIds?: readonly string[]): void {
    this.advance((prefix) => !streamIds || streamIds.some((id) => id.startsWith(prefix)));
  }

  /**
   * A commit relayed from another thread that knows only that its streams start with
   * `streamPrefix`: every prefix such a stream may start with moves on (a longer one too, since
   * the stream may be one of its own), the others sleep on.
   */
  notifyPrefix(streamPrefix: string): void {
    this.advance((prefix) => streamPrefix.startsWith(prefix) || prefix.startsWith(streamPrefix));
  }

  private advance(moves: (prefix: string) => boolean): void {
    for (const [prefix, version] of this.versions) {
      if (prefix === '' || moves(prefix)) this.versions.set(prefix, version + 1);
    }
    for (const waiter of [...this.waiters]) {
      if (this.versions.get(waiter.prefix) !== waiter.seen) waiter.wake();
    }
  }

  /**
   * Resolves on the first commit after `seen` of a stream starting with `streamPrefix`, after
   * `timeoutMs` (for commits this process cannot hear about, such as another process's), or
   * when `abort` fires.
   */
  wait(seen: number, timeoutMs: number, abort: AbortSignal, streamPrefix = ''): Promise<void> {
    if (this.current(streamPrefix) !== seen || abort.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        prefix: streamPrefix,
        seen,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          abort.removeEventListener('abort', waiter.wake);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      this.waiters.add(waiter);
      abort.addEventListener('abort', waiter.wake, { once: true });
    });
  }
}
