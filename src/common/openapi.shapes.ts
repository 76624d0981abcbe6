import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { DEFAULT_LIMIT, MAX_LIMIT, type Paginated } from './pagination';
import type { ProblemBody } from './problem.filter';

/** Pieces of the OpenAPI description shared by every controller (see src/openapi.ts). */

export const INTEGER = { type: 'integer' } as const;

/** `limit` and `offset` of a paginated list, with the bounds and defaults `parsePage` applies. */
export function ApiPageQuery() {
  // In this order the description lists `limit` first, as the decorators written out did.
  return applyDecorators(
    ApiQuery({ name: 'offset', required: false, schema: { ...INTEGER, minimum: 0, default: 0 } }),
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { ...INTEGER, minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
    }),
  );
}

@ApiSchema({ name: 'Problem', description: 'RFC 9457 problem details' })
class ProblemDoc implements ProblemBody {
  @ApiProperty({
    format: 'uri-reference',
    description: 'Relative URI of a page about the problem',
    example: '/docs/problems/not-found',
  })
  type: string;
  @ApiProperty({
    description: 'The HTTP reason phrase, or `One or more validation errors occurred`',
    example: 'Not Found',
  })
  title: string;
  @ApiProperty({ ...INTEGER, minimum: 400, maximum: 599 }) status: number;
  @ApiProperty() detail: string;
  @ApiProperty({ description: 'The correlation id' }) traceId: string;
  @ApiPropertyOptional({
    description: 'Per-field messages on a validation failure',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
  })
  errors?: Record<string, string[]>;
}

@ApiSchema({ name: 'Pagination' })
class PaginationDoc {
  @ApiProperty({ ...INTEGER, minimum: 0 }) offset: number;
  @ApiProperty({ ...INTEGER, minimum: 1 }) limit: number;
  @ApiProperty({ ...INTEGER, minimum: 0, description: 'Items matching, on every page' })
  total: number;
}

@ApiSchema({ name: 'PageMeta' })
class PageMetaDoc {
  @ApiProperty({ type: PaginationDoc }) pagination: PaginationDoc;
}

/** The platform's collection envelope `{"$meta": {"pagination": …}, "data": […]}` of one schema. */
export function ApiPage(name: string, itemSchema: string) {
  @ApiSchema({ name })
  class Page implements Paginated<unknown> {
    @ApiProperty({ type: PageMetaDoc, name: '$meta' }) $meta: PageMetaDoc;
    @ApiProperty({ type: 'array', items: { $ref: getSchemaPath(itemSchema) } }) data: unknown[];
  }
  return Page;
}

const header = (description: string, schema: object = { type: 'string' }) => ({
  description,
  schema,
});

export const HEADERS = {
  correlationId: header("The request's X-Correlation-Id, or a new UUID", { type: 'string' }),
  etag: header('`W/"revision"`: the case revision as a weak entity tag', {
    type: 'string',
    pattern: '^W/"\\d+"$',
    example: 'W/"3"',
  }),
  location: header('The new case', { type: 'string', format: 'uri-reference' }),
  retryAfter: header('Seconds to wait before retrying', { type: 'string', pattern: '^\\d+$' }),
  wwwAuthenticate: header('`Bearer`, with `error="invalid_token"` when a token was refused'),
};

const PROBLEMS: Record<number, string> = {
  400: 'The request could not be read or failed validation (malformed JSON, JSON nested over 32 levels, a lone UTF-16 surrogate, unknown fields, an invalid RQL query or header); nothing changed',
  401: 'No bearer token, a token that is not valid, or one living longer than JWT_MAX_LIFETIME_SECONDS',
  403: 'The caller may not do this',
  404: 'No such resource, or none this caller may see (an over-long or malformed id included)',
  409: 'A rule refused the command, or concurrent writers kept winning',
  412: 'If-Match names a revision the case is no longer at',
  413: "The body is over BODY_LIMIT, or the events to append are over the store's maximum append size",
  415: 'The body is not application/json',
  422: 'The Idempotency-Key was already used with another request',
  431: 'The request line and headers together are larger than the service accepts',
  500: 'The service failed; `traceId` finds the request in its logs',
  503: 'The event store is unavailable or refuses the service access, too many feed streams are open, or the instance is shutting down; retry after Retry-After',
};

const PROBLEM_HEADERS: Record<number, HeadersObject> = {
  401: { 'WWW-Authenticate': { ...HEADERS.wwwAuthenticate, required: true } },
  503: { 'Retry-After': { ...HEADERS.retryAfter, required: true } },
};

/** Problem answers of a route, each `application/problem+json`; every route may also fail (500). */
export function ApiProblems(...statuses: number[]) {
  const content = { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDoc) } } };
  return applyDecorators(
    ApiExtraModels(ProblemDoc),
    // Any request can be too large in its request line or headers, and any can fail.
    ...[...new Set([...statuses, 431, 500])].map((status) =>
      ApiResponse({
        status,
        description: PROBLEMS[status],
        content,
        headers: PROBLEM_HEADERS[status],
      }),
    ),
  );
}

/** Problems of any route that needs a token. */
export const ApiAuthenticated = (...statuses: number[]) => ApiProblems(401, 503, ...statuses);
