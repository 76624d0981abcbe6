import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../identity/principal';
import type { CommandContext } from '../application/case-command.messages';
import { parseIdempotencyKey, parseIfMatch } from './http-headers';

/** The request's side of a command: caller, correlation id, `If-Match`, `Idempotency-Key`. */
export type CommandHeaders = Omit<CommandContext, 'requestHash'>;

export const CommandRequestHeaders = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CommandHeaders => {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal: Principal }>();
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    return {
      principal: request.principal,
      correlationId: request.id,
      ifMatch: parseIfMatch(header('if-match')),
      idempotencyKey: parseIdempotencyKey(header('idempotency-key')),
    };
  },
);
