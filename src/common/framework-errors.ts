import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ArgumentsHost } from '@nestjs/common';
import type { Server } from 'node:http';
import type { FastifyError, FastifyHttpOptions, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequest, NotFound } from './http-errors';
import { ProblemError } from './problem';
import { ProblemFilter } from './problem.filter';

/**
 * Errors Fastify and Node's HTTP parser raise before any route runs, answered as problem+json
 * like every other error. Fastify would otherwise write its own `application/json` shapes.
 */
export function frameworkErrorOptions(requestTimeoutMs: number): FastifyHttpOptions<Server> {
  return {
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // The whole request, headers and body, must arrive in this time: a slow upload gets 408.
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: Math.min(requestTimeoutMs, 60_000),
      // Node looks for overdue requests only this often (30 s by default), so it bounds how
      // late past the timeout the 408 comes.
      connectionsCheckingInterval: Math.max(250, Math.min(30_000, requestTimeoutMs / 4)),
    },
  };
}

const problems = new ProblemFilter();

/**
 * Router errors (a path that is not valid percent-encoding, a path parameter over
 * `maxParamLength`) come with a request and a reply but before any route, outside Nest: the
 * one problem filter is handed them directly, so it writes these answers as it writes all.
 */
function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  reply.header('X-Correlation-Id', request.id);
  problems.catch(routerProblem(error), httpHost(request, reply));
}

/** The slice of Nest's ArgumentsHost an exception filter uses for HTTP. */
function httpHost(request: FastifyRequest, reply: FastifyReply): ArgumentsHost {
  const http = { getRequest: () => request, getResponse: () => reply, getNext: () => undefined };
  return { switchToHttp: () => http, getType: () => 'http' } as unknown as ArgumentsHost;
}

function routerProblem(error: FastifyError): ProblemError {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new BadRequest('The request path is not valid percent-encoding.');
    // No identifier is anywhere near 100 characters: a longer one names nothing, as any
    // unknown id does.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new NotFound('Nothing is found at this path: an identifier in it is too long.');
    default:
      return new BadRequest(error.message);
  }
}

/** Node's own answer for each parser error (lib/_http_server.js), and 400 for the rest. */
const CLIENT_ERROR_STATUS: Record<string, number> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
};

const CLIENT_ERROR_DETAIL: Record<number, string> = {
  400: 'The request is not well-formed HTTP/1.1.',
  408: 'The request was not received in time.',
  413: 'The request body framing is too large.',
  431: 'The request line and headers together are larger than this service accepts.',
};

/**
 * Requests Node's HTTP parser refuses (malformed, headers too large, too slow) never become
 * requests, so the answer is written to the socket directly, then the connection is closed:
 * after a framing error nothing more on it can be trusted.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400;
    socket.write(rawProblemResponse(new ClientError(status, CLIENT_ERROR_DETAIL[status]!)));
  }
  socket.destroy(error);
}

class ClientError extends ProblemError {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

/** A whole HTTP/1.1 response carrying the problem, for a socket that has no reply object. */
export function rawProblemResponse(problem: ProblemError, traceId = randomUUID()): string {
  const { type, title, status, message } = problem;
  const body = JSON.stringify({ type, title, status, detail: message, traceId });
  const headers = {
    'Content-Type': 'application/problem+json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Correlation-Id': traceId,
    Connection: 'close',
    ...problem.headers,
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join('')}\r\n${body}`;
}
