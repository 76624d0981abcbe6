/**
 * The client shares one channel between calls and replaces it after any UNAVAILABLE answer,
 * closing it under calls that have just started on it ("Channel closed before call started").
 * Right after the server comes back, one failed subscription attempt can so fail an unrelated
 * call. One immediate retry covers that; a server that is really down fails both attempts.
 * Appends are safe to repeat: EventStoreDB recognises a retried write by its event ids.
 */
import { isTransient } from './esdb.errors';

export async function retryOnceIfTransient<T>(
  call: () => Promise<T>,
  abandoned?: AbortSignal,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // A caller that already gave up must not have its write land later behind its back.
    if (!isTransient(error) || abandoned?.aborted) throw error;
    return call();
  }
}

/** The same for reads, as long as nothing has been handed to the caller yet. */
export async function* readRetryingOnce<T>(open: () => AsyncIterable<T>): AsyncGenerator<T> {
  let yielded = false;
  try {
    for await (const item of open()) {
      yielded = true;
      yield item;
    }
  } catch (error) {
    if (yielded || !isTransient(error)) throw error;
    yield* open();
  }
}
