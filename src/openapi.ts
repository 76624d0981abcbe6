import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { refineDescription } from './openapi.refine';

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
    .addTag('health', 'Liveness and readiness, without a token')
    .addTag('problems', 'Pages that problem `type` URIs point at, without a token')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return refineDescription(SwaggerModule.createDocument(app, config));
}

/** The description at `/docs/openapi.json` and its UI at `/docs`, both unauthenticated. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
