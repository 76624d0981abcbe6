/**
 * The client sends every read with an infinite gRPC deadline (a long read must not be cut
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
