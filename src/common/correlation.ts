import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';
const ACCEPTABLE = /^[\x21-\x7e]{1,128}$/;

/**
 * Fastify's `genReqId`: the caller's `X-Correlation-Id` when it is sane, a new UUID otherwise.
 * The request id is then the correlation id everywhere: logs, problem `traceId`, event metadata.
 */
export function correlationIdFor(request: IncomingMessage): string {
  const header = request.headers[CORRELATION_HEADER];
  return typeof header === 'string' && ACCEPTABLE.test(header) ? header : randomUUID();
}
