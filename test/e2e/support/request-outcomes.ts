import { request as httpRequest, Agent } from 'node:http';

/** How one request ended, as a client sees it. */
export type Outcome =
  | { kind: 'answered'; status: number; headers: Record<string, unknown>; body: string }
  | { kind: 'refused' }
  | { kind: 'broken'; error: string };

export interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly token: string;
  readonly body?: unknown;
  /** Keep-alive connections are reused across calls; without one every call connects anew. */
  readonly agent?: Agent;
}

/**
 * One request over node:http, classified: a complete answer (status, headers and the whole
 * body), a refused connection (ECONNREFUSED: nothing was sent), or anything else (a reset, a
 * connection closed mid-answer), which a client cannot tell from a lost request.
 */
export function call(
  baseUrl: string,
  { method, path, token, body, agent }: Call,
): Promise<Outcome> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const request = httpRequest(
      `${baseUrl}${path}`,
      {
        method,
        agent: agent ?? false,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve(
            response.complete
              ? {
                  kind: 'answered',
                  status: response.statusCode!,
                  headers: response.headers,
                  body: text,
                }
              : { kind: 'broken', error: 'answer cut short' },
          ),
        );
        response.on('error', (error) => resolve({ kind: 'broken', error: String(error) }));
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ECONNREFUSED'
          ? { kind: 'refused' }
          : { kind: 'broken', error: `${error.code ?? ''} ${error.message}` },
      ),
    );
    request.end(payload);
  });
}
