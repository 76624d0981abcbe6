/** A minimal text/event-stream reader over Node's fetch, for the feed's end-to-end tests. */
export interface ReceivedEvent {
  readonly id: string;
  readonly event: string;
  readonly data: string;
}

export interface SseOptions {
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export class SseConnection {
  readonly events: ReceivedEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];
  private buffer = '';

  private constructor(readonly response: Response) {}

  static async open(url: string, options: SseOptions = {}): Promise<SseConnection> {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const abort = new AbortController();
    const response = await fetch(url, { headers, signal: abort.signal });
    const connection = new SseConnection(response);
    connection.abort.signal.addEventListener('abort', () => abort.abort());
    if (response.ok && response.body) void connection.read(response.body);
    return connection;
  }

  get status(): number {
    return this.response.status;
  }

  /** Waits, within a bound, until the condition holds on what has arrived so far. */
  async waitFor(condition: (c: SseConnection) => boolean, what: string, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this)) {
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) {
        throw new Error(
          `Timed out waiting for ${what}; got ${this.events.length} events (${this.events.map((e) => e.event).join(', ')}), ${this.comments.length} comments, ended=${this.ended}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  waitForEvents(count: number, timeoutMs?: number) {
    return this.waitFor((c) => c.events.length >= count, `${count} events`, timeoutMs);
  }

  waitForEnd(timeoutMs = 10_000) {
    return this.waitFor((c) => c.ended, 'the stream to end', timeoutMs);
  }

  /** The envelope of each received event. */
  envelopes(): Array<Record<string, unknown>> {
    return this.events.map((e) => JSON.parse(e.data));
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        this.buffer += decoder.decode(chunk, { stream: true });
        this.parse();
      }
    } catch {
      // Aborted by the test, or the server went away: both end the stream.
    } finally {
      this.ended = true;
      this.notify();
    }
  }

  private parse(): void {
    let boundary: number;
    while ((boundary = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      const fields: Record<string, string[]> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments.push(line.slice(1).trim());
          continue;
        }
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        (fields[name] ??= []).push(value);
      }
      if (fields.data) {
        this.events.push({
          id: fields.id?.at(-1) ?? '',
          event: fields.event?.at(-1) ?? 'message',
          data: fields.data.join('\n'),
        });
      }
    }
    this.notify();
  }

  private notify(): void {
    this.waiters.splice(0).forEach((wake) => wake());
  }
}

/** Waits, within a bound, for a condition outside any one connection (server-side state). */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
