import { createReadStream, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { refineDescription } from './openapi.refine';

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
};

/**
 * The OpenAPI description, built from the controllers' decorators, the request DTOs the body pipe
 * validates with, and response classes typed against the presenters (one source), then refined
 * into OpenAPI 3.1 (`openapi.refine.ts`). The e2e suite checks every answer against it.
 */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Case service')
    .setDescription(
      'Event-sourced helpdesk cases. Errors are `application/problem+json` (RFC 9457) and every ' +
        'answer carries `X-Correlation-Id`. Commands accept `If-Match` (the ETag, `W/"revision"`) ' +
        'and `Idempotency-Key`.',
    )
    .setVersion('1')
    .addServer('/', 'This service')
    .addTag('cases', 'Cases: commands, reads, lists with RQL, audit trails')
    .addTag('chats', 'Participants of case chats')
    .addTag('feed', 'Every case event as server-sent events')
    .addTag('health', 'Liveness and readiness (terminus), without a token')
    .addTag('metrics', 'Prometheus metrics, without a token')
    .addTag('problems', 'Pages that problem `type` URIs point at, without a token')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return refineDescription(SwaggerModule.createDocument(app, config));
}

/** The description at `/docs/openapi.json` and its UI at `/docs`, both unauthenticated. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  serveUiAssetsWithoutFastifyStatic(app);
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}

/**
 * SwaggerModule serves the UI's page itself but asks the app to serve swagger-ui-dist's files
 * with the adapter's `useStaticAssets`, which on Fastify means @fastify/static, whose content-disposition 3
 * declares node >= 22 (an EBADENGINE warning on every install on Node 20). The UI needs a fixed
 * handful of files, so they are served here: one route, only names listed in that directory.
 */
function serveUiAssetsWithoutFastifyStatic(app: NestFastifyApplication): void {
  const adapter = app.getHttpAdapter() as unknown as {
    useStaticAssets(options: { root: string; prefix: string }): void;
  };
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const served = new Set<string>();
  adapter.useStaticAssets = (options) => {
    if (served.has(options.prefix)) return;
    served.add(options.prefix);
    const files = new Set(readdirSync(options.root).filter((name) => CONTENT_TYPES[extname(name)]));
    fastify.get<{ Params: { file: string } }>(`${options.prefix}/:file`, (request, reply) => {
      const { file } = request.params;
      if (!files.has(file)) return reply.callNotFound();
      return reply
        .type(CONTENT_TYPES[extname(file)]!)
        .header('Cache-Control', 'public, max-age=3600')
        .send(createReadStream(join(options.root, file)));
    });
  };
}
