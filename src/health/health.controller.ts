import { Controller, Get, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiResponse,
  ApiSchema,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiProblems, HEADERS, INTEGER } from '../common/openapi.shapes';
import type { FastifyReply } from 'fastify';
import { problemTitle, problemType } from '../common/problem';
import { Public } from '../identity/public.decorator';
import { ReadinessRegistry } from './readiness.registry';

@ApiSchema({ name: 'HealthOk' })
class HealthOkDoc {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

@ApiSchema({ name: 'NotReadyProblem', description: 'A problem naming what is not ready' })
class NotReadyDoc {
  @ApiProperty({ format: 'uri-reference' }) type: string;
  @ApiProperty({ example: 'Service Unavailable' }) title: string;
  @ApiProperty({ ...INTEGER, enum: [503] }) status: 503;
  @ApiProperty() detail: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Each failing dependency and why',
  })
  checks: Record<string, string>;
}

@ApiTags('health')
@ApiExtraModels(NotReadyDoc)
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  @Get('live')
  @ApiOperation({ operationId: 'getLiveness', summary: 'The process is up' })
  @ApiOkResponse({ type: HealthOkDoc, description: 'Up' })
  @ApiProblems()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Every dependency answers; 503 names the ones that do not',
  })
  @ApiOkResponse({ type: HealthOkDoc, description: 'Ready' })
  @ApiProblems()
  @ApiResponse({
    status: 503,
    description: 'Not ready: `checks` names each failing dependency',
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(NotReadyDoc) } } },
    headers: { 'Retry-After': { ...HEADERS.retryAfter, required: true } },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthOkDoc | NotReadyDoc> {
    const failures = await this.readiness.failures();
    const names = Object.keys(failures);
    if (names.length === 0) return { status: 'ok' };
    reply.status(503).header('Retry-After', '5').type('application/problem+json');
    return {
      type: problemType(503),
      title: problemTitle(503),
      status: 503,
      detail: `Unavailable: ${names.join(', ')}.`,
      checks: failures,
    };
  }
}
