import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedRequest } from './current-principal.decorator';
import { IS_PUBLIC_ROUTE } from './public.decorator';
import { TokenVerifier } from './token-verifier';

/**
 * Global guard: every route needs a verified bearer token unless marked `@Public()`.
 * Authentication only; what a principal may do is the access policy's business.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    // Fail closed on transports this guard does not know how to authenticate.
    if (context.getType() !== 'http') return false;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    request.principal = await this.verifier.verifyAuthorization(
      Array.isArray(header) ? undefined : header,
    );
    return true;
  }
}
