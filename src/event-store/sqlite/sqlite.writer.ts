import { channel } from 'node:diagnostics_channel';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../../common/worker-script';
import { StoreUnavailable, WrongExpectedRevision } from '../event-store.errors';
import type { AppendResult, ExpectedRevision } from '../event-store.port';
import type {
  AppendOutcome,
  FromWriter,
  EventToWrite,
  ToWriter,
  WriterData,
  WriterError,
} from './sqlite.writer.protocol';

/** Each group commit's size, for the metrics; publishing costs nothing while nobody listens. */
export const groupCommitChannel = channel('case-service:sqlite-group-commit');
export interface GroupCommit {
  readonly file: string;
  readonly appends: number;
}

interface Pending {
  readonly streamId: string;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The main thread's handle on the writer thread: sends append requests, matches the batched
 * replies to their callers, and turns the writer's plain-data errors back into typed errors.
 * If the thread dies, every waiting and later append fails with {@link StoreUnavailable}.
 */
export class SqliteWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly pings = new Map<number, () => void>();
  private readonly exited: Promise<void>;
  private nextId = 1;
  private failure: StoreUnavailable | undefined;
  private closing: Promise<void> | undefined;
  private whenDrained: (() => void) | undefined;

  private constructor(
    private readonly file: string,
    private readonly onCommitted: (streamIds: readonly string[]) => void,
  ) {
    const data: WriterData = { file };
    const script = workerScript(__filename, 'sqlite.writer.worker');
    this.worker = new Worker(script.file, { workerData: data, execArgv: script.execArgv });
    this.worker.on('message', (message: FromWriter) => this.receive(message));
    this.worker.on('error', (error) => this.fail(`The writer thread failed: ${error.message}`));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        if (!this.closing) this.fail(`The writer thread stopped (exit code ${code}).`);
        resolve();
      }),
    );
  }

  /** Resolves once the writer has opened the file and brought its schema up to date. */
  /** `onCommitted` is told the streams of each group commit, once its appends are settled. */
  static async start(
    file: string,
    onCommitted: (streamIds: readonly string[]) => void,
  ): Promise<SqliteWriter> {
    const writer = new SqliteWriter(file, onCommitted);
    await new Promise<void>((resolve, reject) => {
      writer.worker.once('message', (message: FromWriter) =>
        message.kind === 'ready'
          ? resolve()
          : reject(new StoreUnavailable(message.kind === 'failed' ? message.message : 'bad start')),
      );
      writer.exited.then(() => reject(writer.failure ?? new StoreUnavailable('Writer stopped.')));
    });
    return writer;
  }

  append(
    streamId: string,
    expectedRevision: ExpectedRevision,
    events: readonly EventToWrite[],
  ): Promise<AppendResult> {
    const refusal = this.unavailable();
    if (refusal) return Promise.reject(refusal);
    const requestId = this.nextId++;
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.set(requestId, { streamId, resolve, reject });
      this.post({ kind: 'append', request: { requestId, streamId, expectedRevision, events } });
    });
  }

  /** Proves the writer thread is alive and responsive, not just started. */
  async ping(timeoutMs: number): Promise<void> {
    const refusal = this.unavailable();
    if (refusal) throw refusal;
    const pingId = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.pings.set(pingId, resolve);
        timer = setTimeout(
          () => reject(new StoreUnavailable('The event store writer is not responding.')),
          timeoutMs,
        );
        this.post({ kind: 'ping', pingId });
      });
    } finally {
      clearTimeout(timer);
      this.pings.delete(pingId);
    }
  }

  /** Lets every accepted append finish, then stops the thread. Later appends are refused. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.pending.size > 0) await new Promise<void>((resolve) => (this.whenDrained = resolve));
      if (!this.failure) this.post({ kind: 'close' });
      await this.exited;
    })();
    return this.closing;
  }

  private receive(message: FromWriter): void {
    if (message.kind === 'pong') this.pings.get(message.pingId)?.();
    if (message.kind !== 'committed') return;
    const streamIds: string[] = [];
    for (const outcome of message.outcomes) {
      const streamId = this.settle(outcome);
      if (streamId !== undefined) streamIds.push(streamId);
    }
    if (groupCommitChannel.hasSubscribers) {
      groupCommitChannel.publish({ file: this.file, appends: message.outcomes.length });
    }
    this.onCommitted(streamIds);
    if (this.pending.size === 0) this.whenDrained?.();
  }

  /** Resolves or rejects the append; returns its stream when it was written. */
  private settle(outcome: AppendOutcome): string | undefined {
    const waiting = this.pending.get(outcome.requestId);
    if (!waiting) return undefined;
    this.pending.delete(outcome.requestId);
    if (outcome.ok) {
      waiting.resolve({
        nextExpectedRevision: outcome.nextExpectedRevision,
        position: outcome.position,
      });
      return waiting.streamId;
    }
    waiting.reject(rebuildError(outcome.error));
    return undefined;
  }

  private fail(message: string): void {
    this.failure ??= new StoreUnavailable(message);
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
    this.whenDrained?.();
  }

  private unavailable(): StoreUnavailable | undefined {
    if (this.failure) return this.failure;
    if (this.closing) return new StoreUnavailable('The event store is closed.');
    return undefined;
  }

  private post(message: ToWriter): void {
    this.worker.postMessage(message);
  }
}

function rebuildError(error: WriterError): Error {
  switch (error.kind) {
    case 'WrongExpectedRevision':
      return new WrongExpectedRevision(error.streamId, error.expected, error.actual);
    case 'StoreUnavailable':
      return new StoreUnavailable(error.message);
    case 'Rejected':
      return new Error(`The event store refused the append: ${error.message}`);
  }
}
