/**
 * What the rest of the service sees of the read-model projection, wherever it runs (its own
 * thread in the service; this thread in specs that hand the service a store object): how far
 * it has got, whether it stopped, and a way to wait for it. Lists, read-your-writes, readiness
 * and the lag metrics read only this.
 */
export abstract class CaseProjection {
  /** Named in logs, metrics and `/health/ready`. */
  abstract readonly name: string;
  /** Position of the last event the served read models reflect; undefined before the first. */
  abstract get checkpoint(): bigint | undefined;
  /** Why the projection is not running, or undefined while it is healthy. */
  abstract get failure(): string | undefined;
  /** The thread that applies events (0 is the main thread); undefined while none runs. */
  abstract get threadId(): number | undefined;
  /** Starts following; resolves once the projection runs (or already ran). */
  abstract start(): void | Promise<void>;
  /** Stops following after the batch in hand is committed. */
  abstract stop(): Promise<void>;
  /** Resolves once the read models reflect `position`; rejects on timeout or a failure. */
  abstract waitForCheckpoint(position: bigint, timeoutMs?: number): Promise<void>;
  /**
   * This service committed an erasure: where the projection runs beside its own erasure
   * follower on another connection (its thread), that follower is told to look now.
   */
  abstract erasureCommitted(): void;
}
