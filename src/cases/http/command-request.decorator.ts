import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../identity/principal';

/** Everything a command route reads from its request, gathered once for every route. */
export interface CommandRequest {
  readonly caseId: string | undefined;
  readonly body: unknown;
  readonly ifMatch: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly principal: Principal;
  readonly correlationId: string;
  readonly reply: FastifyReply;
}

export const CaseCommandRequest = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CommandRequest => {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { principal: Principal }>();
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    return {
      caseId: (request.params as { id?: string }).id,
      body: request.body,
      ifMatch: header('if-match'),
      idempotencyKey: header('idempotency-key'),
      principal: request.principal,
      correlationId: request.id,
      reply: http.getResponse<FastifyReply>(),
    };
  },
);
