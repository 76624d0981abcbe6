import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { BASE_PATH } from './common/api-base-path';
import type { AppConfig } from './config/app.config';
import type { EdgeOverrides } from './config/config.module';
import { correlationIdFor } from './common/correlation';
import { setUpOpenApi } from './openapi';

/** Builds the whole service; `main.ts` and the end-to-end tests both start it this way. */
export async function createApp(
  config: AppConfig,
  overrides: EdgeOverrides = {},
): Promise<NestFastifyApplication> {
  // Fastify logs nothing itself: nestjs-pino writes every line, requests included.
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    genReqId: correlationIdFor,
    logger: false,
  });
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, overrides),
    adapter,
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(BASE_PATH.slice(1), {
    exclude: ['health/live', 'health/ready', 'metrics'],
  });
  app.enableShutdownHooks();
  acceptJsonOnly(fastify);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Correlation-Id', request.id);
  });
  setUpOpenApi(app);
  await app.init();
  return app;
}

/**
 * Bodies are JSON or nothing: other media types get 415 instead of reaching validation as a
 * string, and an empty body with a JSON content type is "no body", as action routes expect.
 */
function acceptJsonOnly(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const parser: FastifyBodyParser<string> = (request, body, done) => {
    if (body.trim() === '') return done(null, undefined);
    parseJson(request, body, done);
  };
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, parser);
  fastify.addContentTypeParser(/^application\/[\w.+-]+\+json$/, { parseAs: 'string' }, parser);
}
