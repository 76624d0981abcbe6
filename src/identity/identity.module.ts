import {
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import type { IdentityConfig } from './identity.config';
import { TokenVerifier } from './token-verifier';

/** Injection token for the validated identity configuration. */
export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');

export interface IdentityModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => IdentityConfig | Promise<IdentityConfig>;
}

/**
 * Token verification plus the global auth guard. Import it plainly when a global module
 * already provides IDENTITY_CONFIG, or through `forRoot`/`forRootAsync` to supply it here.
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

  static forRootAsync(options: IdentityModuleAsyncOptions): DynamicModule {
    return {
      module: IdentityModule,
      imports: options.imports ?? [],
      providers: [
        { provide: IDENTITY_CONFIG, useFactory: options.useFactory, inject: options.inject ?? [] },
      ],
      exports: [IDENTITY_CONFIG],
    };
  }
}
