import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ProblemError,
  problemOfCode,
  problemTitle,
  problemType,
  type ProblemKind,
} from './problem';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  traceId: string;
  errors?: Record<string, string[]>;
}

interface Problem {
  status: number;
  /** A problem the service names itself, as opposed to a failure nobody foresaw. */
  known?: boolean;
  kind?: ProblemKind;
  detail: string;
  errors?: Record<string, string[]>;
  headers?: Record<string, string>;
}

/**
 * The one place errors become RFC 9457 answers; the correlation id is the `traceId`. Nest routes
 * Fastify's own errors (bad JSON, body too large, wrong content type) through it as well.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const { status, kind, detail, errors, headers, known } = toProblem(error);
    // A known 5xx (the store is unavailable) was logged once where it happened; only a bug gets
    // its stack here. The request's correlationId comes with the request's logger.
    if (status >= 500 && !known) {
      this.logger.error({ err: error }, 'Unexpected failure while handling the request');
    }
    const body: ProblemBody = {
      type: problemType(status, kind),
      title: problemTitle(status, kind),
      status,
      detail,
      traceId: request.id,
      ...(errors ? { errors } : {}),
    };
    http
      .getResponse<FastifyReply>()
      .status(status)
      .headers(headers ?? {})
      .type('application/problem+json')
      .send(body);
  }
}

function toProblem(error: unknown): Problem {
  if (error instanceof ProblemError) {
    const { status, kind, message, errors, headers } = error;
    return { status, kind, detail: message, errors, headers, known: true };
  }
  const coded = problemOfCode((error as { code?: unknown })?.code);
  if (coded) return { ...coded, detail: (error as Error).message, known: true };
  if (error instanceof HttpException) {
    return { status: error.getStatus(), detail: error.message };
  }
  const status = (error as { statusCode?: unknown })?.statusCode;
  // Fastify's own 4xx errors (bad JSON, body too large, wrong content type) are client input.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, detail: clientMessage(error as Error) };
  }
  return { status: 500, detail: 'The service failed to handle this request.' };
}

function clientMessage(error: Error): string {
  if (error instanceof SyntaxError) return `The body is not valid JSON: ${error.message}`;
  if ((error as { code?: string }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return 'Request bodies must be application/json.';
  }
  return error.message;
}
