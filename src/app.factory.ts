import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppModule } from './app.module';
import { BASE_PATH } from './common/api-base-path';
import type { AppConfig } from './config/app.config';
import type { EdgeOverrides } from './config/config.module';
import { correlationIdFor } from './common/correlation';
import { frameworkErrorOptions } from './common/framework-errors';
import { DrainGate } from './common/graceful-shutdown';
import { acceptJsonOnly } from './common/json-body.parser';
import { PinoNestLogger } from './common/pino-nest.logger';
import { setUpOpenApi } from './openapi';

/** Builds the whole service; `main.ts` and the end-to-end tests both start it this way. */
export async function createApp(
  config: AppConfig,
  overrides: EdgeOverrides = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    // Last line of defence behind the store deadlines: no request outlives these.
    ...frameworkErrorOptions(config.httpRequestTimeoutMs),
    connectionTimeout: config.httpConnectionTimeoutMs,
    genReqId: correlationIdFor,
    // The drain gate answers requests during shutdown as problem+json instead (graceful-shutdown.ts).
    return503OnClosing: false,
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization'],
    },
  });
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, overrides),
    adapter,
    {
      logger: new PinoNestLogger(fastify.log),
      bodyParser: false,
    },
  );
  app.setGlobalPrefix(BASE_PATH.slice(1), {
    exclude: ['health/live', 'health/ready', 'docs/problems/:slug'],
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
