import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { AccountDto, AssigneeDto, ParameterDto, QueueDto, ReporterDto } from './case.dtos';

/** Shapes for the OpenAPI description only; answers are built by the presenters. */

class AuditActorDoc {
  @ApiProperty({ example: 'USR-6375-2500' }) id: string;
  @ApiProperty({ example: 'Jane Doe' }) name: string;
}

class AuditEntryDoc {
  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' }) at: string;
  @ApiProperty({ type: AuditActorDoc }) by: AuditActorDoc;
  @ApiProperty({ type: AuditActorDoc, description: "The actor's account" }) of: AuditActorDoc;
}

class CaseAuditDoc {
  @ApiPropertyOptional({ type: AuditEntryDoc }) created?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc, description: 'Every change, creation included' })
  updated?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc }) transferred?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc, description: 'Assign and unassign' })
  assigned?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc }) queried?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc }) processed?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc }) completed?: AuditEntryDoc;
  @ApiPropertyOptional({ type: AuditEntryDoc, description: 'Operations only' })
  awaitingChanged?: AuditEntryDoc;
}

class ChatDoc {
  @ApiProperty({ example: 'CHT-1111-2222-3333' }) id: string;
  @ApiProperty({ enum: ['case'] }) type: 'case';
}

class MetaDoc {
  @ApiProperty({ type: [String], description: 'Read-only fields of the request that were ignored' })
  ignored: string[];
}

export class CaseDoc {
  @ApiProperty({ example: 'CAS-1234-5678-9012' }) id: string;
  @ApiProperty({ example: 3, description: 'Number of events in the case history; the ETag' })
  revision: number;
  @ApiProperty({ enum: ['Processing', 'Querying', 'Completed'] }) status: string;
  @ApiPropertyOptional({ description: 'Omitted for client and vendor callers' }) awaiting?: boolean;
  @ApiPropertyOptional({ nullable: true, description: 'Present only while Querying' })
  queryPrompt?: string | null;
  @ApiProperty({ type: QueueDto }) queue: QueueDto;
  @ApiProperty({ type: AssigneeDto, nullable: true }) assignee: AssigneeDto | null;
  @ApiProperty({ type: AccountDto }) account: AccountDto;
  @ApiProperty({ type: ReporterDto }) reporter: ReporterDto;
  @ApiProperty({ type: ChatDoc }) chat: ChatDoc;
  @ApiProperty({ type: [ParameterDto] }) parameters: ParameterDto[];
  @ApiProperty({ type: CaseAuditDoc }) audit: CaseAuditDoc;
  @ApiPropertyOptional({ type: MetaDoc, name: '$meta' }) $meta?: MetaDoc;
}

export class ProblemDoc {
  @ApiProperty({
    description: 'Relative URI of a page about the problem',
    example: '/docs/problems/not-found',
  })
  type: string;
  @ApiProperty({
    description: 'The HTTP reason phrase, or `One or more validation errors occurred`',
    example: 'Not Found',
  })
  title: string;
  @ApiProperty() status: number;
  @ApiProperty() detail: string;
  @ApiProperty({ description: 'The correlation id' }) traceId: string;
  @ApiPropertyOptional({
    description: 'Per-field messages on a 400',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
  })
  errors?: Record<string, string[]>;
}

const PROBLEMS: Record<number, string> = {
  400: 'Malformed JSON, JSON nested over 32 levels, a lone UTF-16 surrogate, failed validation (every failing field named), unknown fields, malformed If-Match',
  401: 'No token, a bad token, or one living longer than JWT_MAX_LIFETIME_SECONDS (WWW-Authenticate: Bearer)',
  403: 'The caller may not do this',
  404: 'No case this caller may see (an id over 100 characters included)',
  409: 'A rule refused the command, or concurrent writers kept winning',
  412: 'If-Match names a revision the case is no longer at',
  413: "Body over BODY_LIMIT, or the events to append over the store's maximum append size",
  415: 'Body is not JSON',
  422: 'Idempotency-Key already used with another request',
  503: 'Event store unavailable or refusing the service access, or the instance is shutting down (Retry-After)',
};

const ETAG = { ETag: { description: 'W/"<revision>"', schema: { type: 'string' } } };

function problems(statuses: number[]) {
  const content = { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDoc) } } };
  return [
    ApiExtraModels(ProblemDoc),
    ...statuses.map((status) => ApiResponse({ status, description: PROBLEMS[status], content })),
  ];
}

/** Success and problem answers of a route that returns one case. */
export function ApiCaseResponses(success: 200 | 201, errors: number[]) {
  return applyDecorators(
    ApiResponse({ status: success, type: CaseDoc, headers: ETAG, description: 'The case' }),
    ...problems([401, 503, ...errors]),
  );
}

export function ApiProblems(errors: number[]) {
  return applyDecorators(...problems([401, 503, ...errors]));
}

export const IDEMPOTENCY_KEY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key and body appends nothing and replays the first answer',
};

/** A command on an existing case: its headers and every answer it can give. */
export function ApiCaseCommand() {
  return applyDecorators(
    // The route reads `id` through @CaseCommandRequest, which Swagger cannot see.
    ApiParam({ name: 'id', example: 'CAS-1234-5678-9012', description: 'The case id' }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'W/"<revision>" or "<revision>"; stale: 412',
    }),
    ApiHeader(IDEMPOTENCY_KEY_HEADER),
    ApiCaseResponses(200, [400, 403, 404, 409, 412, 413, 415, 422]),
  );
}
