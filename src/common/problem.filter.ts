import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError, problemTitle, problemType } from './problem';

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
    if (body.status >= 500) {
      this.logger.error({ err: error, correlationId: request.id }, (error as Error)?.stack);
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
    return problem(status, error.message);
  }
  const status = (error as { statusCode?: unknown })?.statusCode;
  // Fastify's own 4xx errors (bad JSON, body too large, wrong content type) are client input.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return problem(status, clientMessage(error as Error));
  }
  return problem(500, 'The service failed to handle this request.');
}

function problem(status: number, detail: string): Problem {
  return { body: { type: problemType(status), title: problemTitle(status), status, detail } };
}

function clientMessage(error: Error): string {
  if (error instanceof SyntaxError) return `The body is not valid JSON: ${error.message}`;
  if ((error as { code?: string }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return 'Request bodies must be application/json.';
  }
  return error.message;
}
