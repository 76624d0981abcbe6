import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiResponse } from '@nestjs/swagger';
import { ApiAuthenticated, HEADERS } from '../../common/openapi.shapes';
import { CaseDoc } from './case.openapi';

/** What each case route documents: its headers and every answer it can give. */

export const SELECT_QUERY = {
  name: 'select',
  required: false,
  description:
    'Fields to keep (`id,status,audit.created`; `id` is always kept) or to drop (`-parameters`); ' +
    '`+field` asks for a field on top of the default, which is already whole. Unknown fields: 400.',
  schema: { type: 'string' },
  examples: {
    keep: { value: 'id,status,queue.name' },
    drop: { value: '-parameters,-audit' },
  },
} as const;

export const IDEMPOTENCY_KEY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key and body appends nothing and replays the first answer',
};

const ETAG = { ETag: { ...HEADERS.etag, required: true } };

/** A route that answers one whole case (a command), with its ETag. */
export function ApiCaseResponses(success: 200 | 201, ...errors: number[]) {
  const headers =
    success === 201 ? { ...ETAG, Location: { ...HEADERS.location, required: true } } : ETAG;
  return applyDecorators(
    ApiResponse({ status: success, type: CaseDoc, headers, description: 'The case' }),
    ApiAuthenticated(...errors),
  );
}

export const CASE_ID_PARAM = {
  name: 'id',
  description: 'The case id',
  schema: { type: 'string', pattern: '^CAS(-\\d{4}){3}$', example: 'CAS-1234-5678-9012' },
} as const;

/** A command on an existing case. */
export function ApiCaseCommand() {
  return applyDecorators(
    // The route reads `id` through @CaseCommandRequest, which Swagger cannot see.
    ApiParam(CASE_ID_PARAM),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The ETag you hold, `W/"revision"` or `"revision"`; a stale one is a 412',
    }),
    ApiHeader(IDEMPOTENCY_KEY_HEADER),
    ApiCaseResponses(200, 400, 403, 404, 409, 412, 413, 415, 422),
  );
}
