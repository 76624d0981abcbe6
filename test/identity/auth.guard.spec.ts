import {
  Catch,
  Controller,
  Get,
  Global,
  Module,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { FastifyReply } from 'fastify';
import { ProblemError } from '../../src/common/problem';
import { CurrentPrincipal } from '../../src/identity/current-principal.decorator';
import { DEV_PRINCIPALS } from '../../src/identity/dev-tokens';
import { IDENTITY_CONFIG, IdentityModule } from '../../src/identity/identity.module';
import { TokenVerifier } from '../../src/identity/token-verifier';
import type { Principal } from '../../src/identity/principal';
import { Public } from '../../src/identity/public.decorator';
import { mintToken } from '../../src/identity/token-minter';
import { claimsOf } from '../../src/identity/principal';
import { SECRET_TEXT, secretConfig } from './token.fixtures';

@Controller('cases')
class ProtectedController {
  @Get('mine')
  mine(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }
}

@Public()
@Controller('health')
class HealthController {
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

/** Stands in for the app's problem+json filter: only status and headers matter here. */
@Catch(ProblemError)
class ProblemFilter implements ExceptionFilter {
  catch(error: ProblemError, host: ArgumentsHost): void {
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(error.status)
      .headers(error.headers ?? {})
      .send({ title: error.title, detail: error.message });
  }
}

@Module({
  imports: [IdentityModule.forRoot(secretConfig())],
  controllers: [ProtectedController, HealthController],
  providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
})
class TestAppModule {}

describe('AuthGuard in a Fastify app', () => {
  let app: NestFastifyApplication;
  const tokenFor = (principal: Principal) =>
    mintToken(claimsOf(principal), {
      secret: new TextEncoder().encode(SECRET_TEXT),
      expiresInSeconds: 600,
      issuer: 'https://login.example.com/',
      audience: 'case-service',
    });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('puts the verified principal on the request', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/cases/mine',
      headers: { authorization: `Bearer ${await tokenFor(DEV_PRINCIPALS.vendor)}` },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(DEV_PRINCIPALS.vendor);
  });

  it('answers 401 with a bare Bearer challenge without a token', async () => {
    const response = await app.inject({ method: 'GET', url: '/cases/mine' });

    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers 401 invalid_token for a bad token', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/cases/mine',
      headers: { authorization: 'Bearer abc.def.ghi' },
    });

    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="The token is malformed"',
    );
    expect(response.json()).toEqual({ title: 'Unauthorized', detail: 'The token is malformed' });
  });

  it('lets @Public() handlers and controllers through without a token', async () => {
    const open = await app.inject({ method: 'GET', url: '/cases/open' });
    const health = await app.inject({ method: 'GET', url: '/health/live' });

    expect([open.statusCode, open.json()]).toEqual([200, { open: true }]);
    expect([health.statusCode, health.json()]).toEqual([200, { status: 'ok' }]);
  });
});

describe('IdentityModule imported plainly', () => {
  it('takes IDENTITY_CONFIG from a global provider the app supplies', async () => {
    @Global()
    @Module({
      providers: [{ provide: IDENTITY_CONFIG, useValue: secretConfig() }],
      exports: [IDENTITY_CONFIG],
    })
    class ConfigModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, IdentityModule],
    }).compile();
    const token = await mintToken(claimsOf(DEV_PRINCIPALS.client), {
      secret: new TextEncoder().encode(SECRET_TEXT),
      expiresInSeconds: 600,
      issuer: 'https://login.example.com/',
      audience: 'case-service',
    });

    await expect(moduleRef.get(TokenVerifier).verify(token)).resolves.toEqual(
      DEV_PRINCIPALS.client,
    );
  });
});
