import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { BASE_PATH } from './common/api-base-path';
import type { AppConfig } from './config/app.config';
import type { PersonalDataVault } from './personal-data/personal-data.vault';
import type { EdgeOverrides } from './config/config.module';
import { correlationIdFor } from './common/correlation';
import { frameworkErrorOptions } from './common/framework-errors';
import { DrainGate } from './common/graceful-shutdown';
import { acceptJsonOnly } from './common/json-body.parser';
import { setUpOpenApi } from './openapi';
import { openPersonalDataVault } from './personal-data/open-vault';

/** Builds the whole service; `main.ts` and the end-to-end tests both start it this way. */
export async function createApp(
  config: AppConfig,
  overrides: EdgeOverrides = {},
): Promise<NestFastifyApplication> {
  // Before Nest, whose failed start exits the process without saying why in a sentence: a
  // missing or wrong master key is a MasterKeyError here. The app owns the vault from then on.
  const vault = await openPersonalDataVault(config);
  try {
    return await build(config, vault, overrides);
  } catch (error) {
    await vault.close();
    throw error;
  }
}

async function build(
  config: AppConfig,
  vault: PersonalDataVault,
  overrides: EdgeOverrides,
): Promise<NestFastifyApplication> {
  // Fastify logs nothing itself: nestjs-pino writes every line, requests included.
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    // Last line of defence behind the store deadlines: no request outlives these.
    ...frameworkErrorOptions(config.httpRequestTimeoutMs),
    connectionTimeout: config.httpConnectionTimeoutMs,
    genReqId: correlationIdFor,
    // The drain gate answers requests during shutdown as problem+json instead (graceful-shutdown.ts).
    return503OnClosing: false,
    logger: false,
  });
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, vault, overrides),
    adapter,
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(BASE_PATH.slice(1), {
    exclude: ['health/live', 'health/ready', 'metrics', 'docs/problems/:slug'],
  });
  acceptJsonOnly(fastify);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Correlation-Id', request.id);
  });
  // Signals are main.ts's business (closeGracefullyOnSignals); the gate must be hooked now.
  DrainGate.install(fastify);
  setUpOpenApi(app);
  await app.init();
  return app;
}
