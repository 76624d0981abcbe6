import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from './principal';

/** The request as the auth guard leaves it; Fastify's request type stays out of the domain. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/**
 * The caller of an authenticated route. On a `@Public()` route there is none, and asking
 * for it is a programming error, so it fails loudly rather than handing out undefined.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!principal) {
      throw new Error('@CurrentPrincipal() used on a route the auth guard did not authenticate');
    }
    return principal;
  },
);
