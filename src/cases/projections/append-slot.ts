import { setTimeout as delay } from 'node:timers/promises';

/** `Atomics.waitAsync` (ES2024, in Node since 16): the lib this project compiles with lacks it. */
type WaitAsync = (
  array: BigInt64Array,
  index: number,
  value: bigint,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

const AWAKE = 0;
const SLEEPING = 1;
const NONE = -1n;

export interface WatchOptions {
  /** How often a thread that saw appends lately looks at the slot (1 ms). */
  readonly pollMs?: number;
  /** How long without appends before it sleeps until woken (50 ms). */
  readonly idleMs?: number;
}

/**
 * The position of the service's last case append, shared between the main thread (which
 * publishes it) and the projection thread (which watches it), in 16 bytes of shared memory.
 *
 * Waking the other thread is what costs: a `postMessage` or an `Atomics.notify` per group
 * commit was 3-4 % of the main thread in the command mix. So the watching thread, while appends
 * keep coming, looks at the slot every millisecond on its own, and only after a quiet spell
 * says it sleeps; the main thread notifies only a sleeping watcher, once. The watcher says it
 * sleeps before its last look at the slot and `Atomics.waitAsync` looks once more, so an append
 * published in between is never slept through.
 */
export class AppendSlot {
  private readonly positions: BigInt64Array;
  private readonly state: Int32Array;

  constructor(readonly buffer = new SharedArrayBuffer(16)) {
    this.positions = new BigInt64Array(buffer, 0, 1);
    this.state = new Int32Array(buffer, 8, 1);
    if (!(buffer instanceof SharedArrayBuffer)) throw new TypeError('Not shared memory.');
  }

  /** A fresh slot: no append yet. */
  static create(): AppendSlot {
    const slot = new AppendSlot();
    Atomics.store(slot.positions, 0, NONE);
    return slot;
  }

  get position(): bigint | undefined {
    const position = Atomics.load(this.positions, 0);
    return position === NONE ? undefined : position;
  }

  /** Main thread: the service appended up to `position`. */
  publish(position: bigint): void {
    if (position <= Atomics.load(this.positions, 0)) return;
    Atomics.store(this.positions, 0, position);
    if (Atomics.compareExchange(this.state, 0, SLEEPING, AWAKE) === SLEEPING) {
      Atomics.notify(this.positions, 0);
    }
  }

  /** Ends a watcher's sleep (it then sees `stopped()` and returns). */
  release(): void {
    Atomics.notify(this.positions, 0);
  }

  /** Projection thread: calls `onAppend` with each new position until `stopped()`. */
  async watch(
    onAppend: (position: bigint) => void,
    stopped: () => boolean,
    { pollMs = 1, idleMs = 50 }: WatchOptions = {},
  ): Promise<void> {
    // An append published before the watch began is reported too (once more is harmless): the
    // runner may have read up to the head just before it landed.
    let seen = NONE;
    let lastSeenAt = Date.now();
    while (!stopped()) {
      const position = Atomics.load(this.positions, 0);
      if (position !== seen) {
        seen = position;
        lastSeenAt = Date.now();
        onAppend(position);
      } else if (Date.now() - lastSeenAt < idleMs) {
        await delay(pollMs);
      } else {
        Atomics.store(this.state, 0, SLEEPING);
        const waiting = waitAsync(this.positions, 0, seen);
        if (waiting.async) await waiting.value;
        Atomics.store(this.state, 0, AWAKE);
        lastSeenAt = Date.now();
      }
    }
  }
}
