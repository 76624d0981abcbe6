/**
 * Freezing the test server: while frozen it accepts connections and requests but answers
 * nothing, as a node paused with SIGSTOP (or stuck in a long GC or a full disk) does. Work that
 * arrives meanwhile waits and runs, in arrival order, once the server thaws; a batch append
 * whose own deadline has passed by then is answered with a timeout, as the real server does.
 *
 * Not covered: the HTTP/2 layer keeps answering pings, so the client's keep-alive does not
 * notice a frozen test server (it does notice a paused real one after keepAliveTimeout).
 */
export class FreezeGate {
  private frozen = false;
  private readonly waiting: Array<() => void> = [];

  get isFrozen(): boolean {
    return this.frozen;
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const work of this.waiting.splice(0)) work();
  }

  /** Runs `work` now, or when the server thaws. */
  run(work: () => void): void {
    if (this.frozen) this.waiting.push(work);
    else work();
  }

  /** Wraps a gRPC handler so that nothing of it runs while frozen. */
  guard<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
    return (...args: A) => this.run(() => handler(...args));
  }
}
