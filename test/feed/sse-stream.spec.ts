import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { formatSseMessage, SseStream } from '../../src/feed/sse-stream';

describe('formatSseMessage', () => {
  it('frames id, event and data, ending with a blank line', () => {
    expect(formatSseMessage({ id: '7', event: 'CaseCreated', data: '{"a":1}' })).toBe(
      'id: 7\nevent: CaseCreated\ndata: {"a":1}\n\n',
    );
  });

  it('splits multi-line data into one data field per line', () => {
    expect(formatSseMessage({ id: '1', event: 'e', data: 'a\nb\r\nc' })).toBe(
      'id: 1\nevent: e\ndata: a\ndata: b\ndata: c\n\n',
    );
  });

  it('refuses an id or event that would break the framing', () => {
    expect(() => formatSseMessage({ id: '1\n2', event: 'e', data: '' })).toThrow();
    expect(() => formatSseMessage({ id: '1', event: 'e\r', data: '' })).toThrow();
  });
});

describe('SseStream', () => {
  it('writes the event-stream headers, keeping the ones already set', () => {
    const response = new FakeResponse();
    new SseStream(response.asResponse(), 60_000, { 'x-correlation-id': 'c1' }).end();
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-correlation-id': 'c1',
    });
  });

  it('does not take the next message before a full socket has drained', async () => {
    const response = new FakeResponse();
    const sse = new SseStream(response.asResponse(), 60_000);
    response.accepting = false;
    let sent = false;
    const sending = sse.send({ id: '1', event: 'e', data: 'x' }).then(() => (sent = true));
    await flush();
    expect(sent).toBe(false);
    response.accepting = true;
    response.emit('drain');
    await sending;
    expect(sent).toBe(true);
    sse.end();
  });

  it('stops waiting for a drain when the client goes away, and writes nothing after', async () => {
    const response = new FakeResponse();
    const sse = new SseStream(response.asResponse(), 60_000);
    let closedSeen = 0;
    sse.onClose(() => closedSeen++);
    response.accepting = false;
    const sending = sse.send({ id: '1', event: 'e', data: 'x' });
    response.emit('close');
    await sending;
    await sse.send({ id: '2', event: 'e', data: 'y' });
    expect(response.written).toEqual(['id: 1\nevent: e\ndata: x\n\n']);
    expect(sse.closed).toBe(true);
    expect(closedSeen).toBe(1);
  });

  it('sends a heartbeat comment only while idle', async () => {
    jest.useFakeTimers();
    try {
      const response = new FakeResponse();
      const sse = new SseStream(response.asResponse(), 1_000);
      jest.advanceTimersByTime(999);
      expect(response.written).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(response.written).toEqual([': heartbeat\n\n']);
      jest.advanceTimersByTime(500);
      await sse.send({ id: '1', event: 'e', data: 'x' });
      jest.advanceTimersByTime(999);
      expect(response.written).toHaveLength(2);
      jest.advanceTimersByTime(1);
      expect(response.written.at(-1)).toBe(': heartbeat\n\n');
      sse.end();
      jest.advanceTimersByTime(5_000);
      expect(response.written).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });
});

/** Just enough of a ServerResponse to observe what the stream writes and when. */
class FakeResponse extends EventEmitter {
  statusCode = 0;
  headers: Record<string, unknown> = {};
  written: string[] = [];
  accepting = true;
  writableEnded = false;

  get writableNeedDrain(): boolean {
    return !this.accepting;
  }
  writeHead(status: number, headers: Record<string, unknown>): void {
    this.statusCode = status;
    this.headers = headers;
  }
  flushHeaders(): void {}
  write(chunk: string): boolean {
    this.written.push(chunk);
    return this.accepting;
  }
  end(): void {
    this.writableEnded = true;
    this.emit('close');
  }
  asResponse(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
