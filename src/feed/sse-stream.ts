import type { ServerResponse } from 'node:http';

export interface SseMessage {
  readonly id: string;
  readonly event: string;
  readonly data: string;
}

const LINE_BREAK = /\r\n|\r|\n/;

/** One message in the text/event-stream framing (WHATWG HTML, "Server-sent events"). */
export function formatSseMessage({ id, event, data }: SseMessage): string {
  if (LINE_BREAK.test(id) || LINE_BREAK.test(event) || id.includes('\0')) {
    throw new Error('SSE id and event fields must be single lines without NUL');
  }
  // JSON text never holds a raw line break: one data line, without splitting and re-joining
  // a copy of every event on the feed's hot path.
  const dataLines = LINE_BREAK.test(data)
    ? data
        .split(LINE_BREAK)
        .map((line) => `data: ${line}\n`)
        .join('')
    : `data: ${data}\n`;
  return `id: ${id}\nevent: ${event}\n${dataLines}\n`;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // Reverse proxies (nginx) otherwise buffer the stream and delay every event.
  'x-accel-buffering': 'no',
} as const;

/**
 * A server-sent event stream over a raw Node response. `send` resolves only once the socket has
 * taken the message, or the stream is closed: the caller reads its next event no faster than
 * the client reads, so a slow consumer costs one message of buffer, not the whole history.
 * An idle stream sends a comment line every `heartbeatMs` so proxies and clients can tell a
 * quiet feed from a dead connection.
 */
export class SseStream {
  private readonly heartbeat: NodeJS.Timeout;
  private closedFlag = false;
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    private readonly response: ServerResponse,
    heartbeatMs: number,
    headers: Record<string, string | number | string[]> = {},
  ) {
    response.writeHead(200, { ...headers, ...SSE_HEADERS });
    response.flushHeaders();
    response.once('close', () => this.markClosed());
    this.heartbeat = setInterval(() => this.beat(), heartbeatMs).unref();
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Called once, when the client goes away or the stream is ended. */
  onClose(listener: () => void): void {
    if (this.closedFlag) listener();
    else this.closeListeners.push(listener);
  }

  async send(message: SseMessage): Promise<void> {
    if (this.closedFlag) return;
    this.heartbeat.refresh();
    if (this.response.write(formatSseMessage(message))) return;
    await this.drainedOrClosed();
  }

  end(): void {
    if (!this.response.writableEnded) this.response.end();
    this.markClosed();
  }

  private beat(): void {
    // A full socket buffer already proves the connection busy; piling comments on it would not.
    if (this.closedFlag || this.response.writableNeedDrain) return;
    this.response.write(': heartbeat\n\n');
  }

  private drainedOrClosed(): Promise<void> {
    return new Promise((resolve) => {
      if (this.closedFlag) return resolve();
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }

  private markClosed(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    clearInterval(this.heartbeat);
    this.closeListeners.splice(0).forEach((listener) => listener());
  }
}
