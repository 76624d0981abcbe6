import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import type { IdentityConfig } from './identity.config';
import { TokenVerifier } from './token-verifier';

/** Injection token for the validated identity configuration. */
export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');

/**
 * Token verification plus the global auth guard, given the identity configuration through
 * `forRoot`.
 * The config is built once at startup (`identityConfigFromEnv`) so a bad key stops the boot
 * instead of failing requests.
 */
@Module({
  providers: [
    {
      provide: TokenVerifier,
      useFactory: (config: IdentityConfig) => new TokenVerifier(config),
      inject: [IDENTITY_CONFIG],
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenVerifier],
})
export class IdentityModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityModule,
      providers: [{ provide: IDENTITY_CONFIG, useValue: config }],
      exports: [IDENTITY_CONFIG],
    };
  }
}
