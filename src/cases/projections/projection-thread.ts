import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../../common/worker-script';
import type { CaseEventStream } from '../application/case-event-stream';
import type { CaseProjection } from './case-projection';
import { AppendSlot } from './append-slot';
import { CheckpointWaiters } from './checkpoint-waiters';
import type {
  FromProjection,
  ProjectionThreadData,
  ProjectionWorkerData,
  ToProjection,
} from './projection.worker.protocol';

export interface ProjectionThreadOptions {
  /** First wait before starting a crashed thread again (1 s); doubles up to 30 s. */
  readonly restartDelayMs?: number;
  /** How long a stop waits for the thread to close its connections before terminating it. */
  readonly stopTimeoutMs?: number;
  readonly logger?: Pick<Logger, 'log' | 'warn' | 'error'>;
}

/**
 * A second before the first restart: long enough for a probe to see the failure and for a
 * thread that dies at once not to spin, short against what a restart costs (~0.2 s).
 */
const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The main thread's handle on the projection thread (projection.worker.ts). It writes the
 * position of every append of this service's case event stream where the thread watches it
 * (append-slot.ts), keeps the checkpoint
 * the thread reports after each batch (what read-your-writes and the lag read, without touching
 * the database), and restarts a thread that dies, with a growing delay, reporting the
 * projection as failed (not ready) meanwhile. An event the runner cannot apply is not a crash:
 * the thread stays up and idle, as the in-thread runner would, and a restart would not help.
 */
export class ProjectionThread implements CaseProjection {
  readonly name: string;
  private readonly logger: Pick<Logger, 'log' | 'warn' | 'error'>;
  private readonly waiters = new CheckpointWaiters();
  private worker: Worker | undefined;
  private exited: Promise<void> = Promise.resolve();
  private starting: Promise<void> | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartDelay: number;
  private position: bigint | undefined;
  private failed: string | undefined;
  private readonly stopRelaying: () => void;
  /** Shared with every thread this handle starts. */
  private readonly slot = AppendSlot.create();

  constructor(
    private readonly data: ProjectionWorkerData,
    stream: CaseEventStream,
    private readonly options: ProjectionThreadOptions = {},
  ) {
    this.name = data.name;
    this.logger = options.logger ?? new Logger(`Projection:${this.name}`);
    this.restartDelay = options.restartDelayMs ?? FIRST_RESTART_DELAY_MS;
    this.stopRelaying = stream.onAppend((position) => this.wake(position));
  }

  get checkpoint(): bigint | undefined {
    return this.position;
  }

  get failure(): string | undefined {
    return this.failed;
  }

  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  /** Starts the thread; resolves once it has both connections open and follows the store. */
  start(): Promise<void> {
    if (this.worker) return this.starting ?? Promise.resolve();
    this.stopping = false;
    clearTimeout(this.restartTimer);
    const script = workerScript(__filename, 'projection.worker');
    const workerData: ProjectionThreadData = { ...this.data, appended: this.slot.buffer };
    const worker = new Worker(script.file, { workerData, execArgv: script.execArgv });
    // The service's server keeps the process alive; this thread alone never should.
    worker.unref();
    this.worker = worker;
    const starting = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromProjection) => {
        if (message.kind === 'ready') resolve();
        if (message.kind === 'unavailable') reject(new Error(message.message));
        this.receive(message);
      });
      worker.once('error', (error) => {
        this.logger.error(`Projection ${this.name} thread failed: ${error.message}`);
        reject(error);
      });
      this.exited = new Promise((done) =>
        worker.once('exit', (code) => {
          reject(new Error(`The projection thread ended (exit code ${code}) before it was ready.`));
          this.ended(worker, code);
          done();
        }),
      );
    });
    this.starting = starting.finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Lets the thread finish its batch and close its connections, then waits for it to end. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    await this.starting?.catch(() => undefined);
    this.post({ kind: 'stop' });
    const timer = setTimeout(() => void worker.terminate(), this.options.stopTimeoutMs ?? 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Stops the thread and relays no more appends: the service is closing. */
  async close(): Promise<void> {
    this.stopRelaying();
    await this.stop();
  }

  /** One message per erasure: rare, unlike case appends, which go through the slot. */
  erasureCommitted(): void {
    this.post({ kind: 'erasure' });
  }

  waitForCheckpoint(position: bigint, timeoutMs = 10_000): Promise<void> {
    return this.waiters.waitFor(position, timeoutMs, {
      name: this.name,
      checkpoint: () => this.position,
      failure: () => this.failed,
    });
  }

  private receive(message: FromProjection): void {
    switch (message.kind) {
      case 'ready':
        this.failed = undefined;
        this.restartDelay = this.options.restartDelayMs ?? FIRST_RESTART_DELAY_MS;
        return this.advance(message.checkpoint);
      case 'progress':
        return this.advance(message.checkpoint);
      case 'failed':
        this.failed = message.message;
        return this.advance(message.checkpoint);
      case 'unavailable':
        this.failed = `The projection thread cannot start: ${message.message}`;
        return this.logger.error(this.failed);
      case 'log':
        return this.logger[message.level](message.message);
      case 'stopped':
        return;
    }
  }

  private advance(checkpoint: bigint | undefined): void {
    this.position = checkpoint;
    this.waiters.notify();
  }

  /** Costs the main thread a store, and a notify only when the thread sleeps (append-slot.ts). */
  private wake(position: bigint): void {
    this.slot.publish(position);
  }

  private post(message: ToProjection): void {
    this.worker?.postMessage(message);
  }

  private ended(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (this.stopping) return;
    this.failed = `The projection thread stopped (exit code ${code}); restarting in ${this.restartDelay} ms.`;
    this.logger.error(`Projection ${this.name}: ${this.failed}`);
    this.waiters.notify();
    this.restartTimer = setTimeout(() => {
      this.start().catch((error: Error) =>
        this.logger.error(`Projection ${this.name} did not restart: ${error.message}`),
      );
    }, this.restartDelay).unref();
    this.restartDelay = Math.min(this.restartDelay * 2, MAX_RESTART_DELAY_MS);
  }
}
