/**
 * Deadlines the client does not set. The client sends every read with an infinite gRPC deadline (a long read must not be cut
 * off), so a silent server would hang a reader forever. This bounds the wait for each next
 * message instead: a read may take as long as it likes while it makes progress.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { StoreUnavailable } from '../event-store.errors';

export interface CancellableRead<T> extends AsyncIterable<T> {
  cancel(): Promise<void>;
  destroy(): void;
}

export async function* withIdleDeadline<T>(
  read: CancellableRead<T>,
  idleMs: number,
): AsyncGenerator<T> {
  const iterator = read[Symbol.asyncIterator]();
  let completed = false;
  try {
    for (;;) {
      const next = await nextWithin(iterator, idleMs);
      if (next.done) {
        completed = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!completed) {
      await read.cancel();
      read.destroy();
    }
  }
}

async function nextWithin<T>(
  iterator: AsyncIterator<T>,
  idleMs: number,
): Promise<IteratorResult<T>> {
  const timer = new AbortController();
  const timeout = delay(idleMs, undefined, { signal: timer.signal, ref: false }).then(() => {
    throw new StoreUnavailable(`EventStoreDB sent nothing for ${idleMs} ms`);
  });
  timeout.catch(() => undefined);
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    timer.abort();
  }
}

/**
 * Bounds a call the client itself does not bound: on the BatchAppend path the client sets no
 * gRPC deadline (the deadline travels inside the request for the server to enforce), so a
 * frozen or silent server would keep the append pending forever. The client offers no way to
 * cancel it; instead `abandoned` tells the call it was given up on, so it retries nothing.
 */
export async function settleWithin<T>(
  call: (abandoned: AbortSignal) => Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  const timer = new AbortController();
  const abandoned = new AbortController();
  const timeout = delay(ms, undefined, { signal: timer.signal, ref: false }).then(() => {
    abandoned.abort();
    throw new StoreUnavailable(`EventStoreDB did not answer ${what} within ${ms} ms`);
  });
  timeout.catch(() => undefined);
  try {
    return await Promise.race([call(abandoned.signal), timeout]);
  } finally {
    timer.abort();
  }
}
