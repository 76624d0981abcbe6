import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Enough text per write that the per-call cost of a stream disappears behind the bytes. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Text output with backpressure: lines gather into chunks, and a full chunk is written only
 * when the destination has taken the previous one, so a slow pipe or disk slows the read down
 * instead of letting output pile up in memory.
 */
export class OutputSink {
  private pending: string[] = [];
  private pendingChars = 0;
  private failure: Error | undefined;

  constructor(private readonly out: Writable) {
    out.on('error', this.onError);
  }

  /** Resolves at once unless a chunk is full and the destination is not ready for it. */
  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= CHUNK_CHARS) await this.flush();
  }

  /**
   * `write` without a promise per call: buffers `text` and says whether the chunk is full, in
   * which case the caller must `await flush()` before adding more.
   */
  add(text: string): boolean {
    this.pending.push(text);
    this.pendingChars += text.length;
    return this.pendingChars >= CHUNK_CHARS;
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pendingChars === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (!this.out.write(chunk)) await this.drained();
  }

  /** Flushes everything; with `end`, also ends the stream and waits until it is finished. */
  async close({ end = false }: { end?: boolean } = {}): Promise<void> {
    await this.flush();
    if (end) {
      this.out.end();
      if (!this.out.writableFinished) await this.finished();
    }
    this.out.off('error', this.onError);
  }

  private readonly onError = (error: Error) => {
    this.failure ??= error;
  };

  private async drained(): Promise<void> {
    await once(this.out, 'drain');
    if (this.failure) throw this.failure;
  }

  private async finished(): Promise<void> {
    await once(this.out, 'finish');
    if (this.failure) throw this.failure;
  }
}
