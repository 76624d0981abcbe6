import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError, problemType } from './problem';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  traceId: string;
  errors?: Record<string, string[]>;
}

interface Problem {
  body: Omit<ProblemBody, 'traceId'>;
  headers?: Record<string, string>;
}

const FASTIFY_TITLES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Payload too large',
  415: 'Unsupported media type',
};

/**
 * The one place errors become RFC 7807 answers; the correlation id is the `traceId`. Nest routes
 * Fastify's own errors (bad JSON, body too large, wrong content type) through it as well.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const { body, headers } = toProblem(error);
    // A ProblemError 5xx (the store is unavailable) was logged once where it happened; only a
    // bug gets its stack here. The request's correlationId comes with the request's logger.
    if (body.status >= 500 && !(error instanceof ProblemError)) {
      this.logger.error({ err: error }, 'Unexpected failure while handling the request');
    }
    http
      .getResponse<FastifyReply>()
      .status(body.status)
      .headers(headers ?? {})
      .type('application/problem+json')
      .send({ ...body, traceId: request.id });
  }
}

function toProblem(error: unknown): Problem {
  if (error instanceof ProblemError) {
    const { type, title, status, message, errors, headers } = error;
    return {
      body: { type, title, status, detail: message, ...(errors ? { errors } : {}) },
      headers,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return problem(status, FASTIFY_TITLES[status] ?? 'Error', error.message);
  }
  const status = (error as { statusCode?: unknown })?.statusCode;
  // Fastify's own 4xx errors (bad JSON, body too large, wrong content type) are client input.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return problem(status, FASTIFY_TITLES[status] ?? 'Bad request', clientMessage(error as Error));
  }
  return problem(500, 'Internal server error', 'The service failed to handle this request.');
}

function problem(status: number, title: string, detail: string): Problem {
  return {
    body: {
      type: problemType(title),
      title,
      status,
      detail,
    },
  };
}

function clientMessage(error: Error): string {
  if (error instanceof SyntaxError) return `The body is not valid JSON: ${error.message}`;
  if ((error as { code?: string }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return 'Request bodies must be application/json.';
  }
  return error.message;
}
