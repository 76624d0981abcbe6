import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';
const ACCEPTABLE = /^[\x21-\x7e]{1,128}$/;

const assigned = new WeakMap<IncomingMessage, string>();

/**
 * Fastify's `genReqId` and the request logger's: the caller's `X-Correlation-Id` when it is
 * sane, a new UUID otherwise, the same one for both askers of one request. The request id is
 * then the correlation id everywhere: logs, problem `traceId`, event metadata.
 */
export function correlationIdFor(request: IncomingMessage): string {
  let id = assigned.get(request);
  if (id === undefined) {
    const header = request.headers[CORRELATION_HEADER];
    id = typeof header === 'string' && ACCEPTABLE.test(header) ? header : randomUUID();
    assigned.set(request, id);
  }
  return id;
}
