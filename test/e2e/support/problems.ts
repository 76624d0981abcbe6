import { connect } from 'node:net';
import type { HttpResponse } from './http-client';

/** An RFC 7807 answer with the given status, its `traceId` the correlation id. */
export function expectProblem(
  response: Pick<HttpResponse, 'status' | 'headers' | 'body'>,
  status: number,
): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    traceId: response.headers.get('x-correlation-id'),
  });
}

/**
 * Sends bytes as they are on a new connection and returns everything the server wrote before
 * it closed the connection: for requests no HTTP client would send.
 */
export function rawExchange(baseUrl: string, request: string, timeoutMs = 10_000): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of answer in ${timeoutMs} ms; got ${JSON.stringify(received)}`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.write(request);
  });
}
