import type { AppConfig } from '../../config/app.config';

/**
 * What the projection thread needs to open its own store reader, read-model connection and
 * personal-data vault (to open sealed fields and re-render rows after an erasure).
 */
export type ProjectionWorkerData = Pick<
  AppConfig,
  | 'eventStore'
  | 'dataDir'
  | 'esdbConnectionString'
  | 'esdbTimeoutMs'
  | 'maxAppendSize'
  | 'piiMasterKey'
  | 'nodeEnv'
> & {
  readonly name: string;
  readonly maxBatch?: number;
};

/**
 * What the thread is started with: the configuration, and the shared memory of the
 * `AppendSlot` (append-slot.ts) through which the main thread tells it how far the service has appended.
 */
export type ProjectionThreadData = ProjectionWorkerData & {
  readonly appended: SharedArrayBuffer;
};

/** Main thread → projection thread. */
export type ToProjection =
  /** Finish the batch in hand, close both connections, and let the thread end. */
  | { readonly kind: 'stop' }
  /**
   * This service committed an erasure: the thread's erasure follower looks now rather than at
   * its poll (erasures do not go through the append slot, which carries case appends only).
   */
  | { readonly kind: 'erasure' };

export type LogLevel = 'log' | 'warn' | 'error';

/** Projection thread → main thread. */
export type FromProjection =
  /** Both connections are open and the runner follows from `checkpoint`. */
  | { readonly kind: 'ready'; readonly checkpoint: bigint | undefined }
  /** A batch was committed: the read models now reflect `checkpoint`. */
  | { readonly kind: 'progress'; readonly checkpoint: bigint | undefined }
  /** The runner stopped on an event it cannot apply; the thread stays up, idle. */
  | { readonly kind: 'failed'; readonly message: string; readonly checkpoint: bigint | undefined }
  /** The thread could not open its connections. */
  | { readonly kind: 'unavailable'; readonly message: string }
  /** A log line, written by the main thread's logger so it reaches the service's log. */
  | { readonly kind: 'log'; readonly level: LogLevel; readonly message: string }
  /** Both connections are closed; the thread is about to end. */
  | { readonly kind: 'stopped' };
