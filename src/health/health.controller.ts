import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  type ApiPropertyOptions,
  ApiResponse,
  ApiSchema,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems, HEADERS } from '../common/openapi.shapes';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { Public } from '../identity/public.decorator';
import { ReadinessIndicators } from './health.indicators';

const EXAMPLE_READY = {
  status: 'ok',
  info: {
    eventStore: { status: 'up' },
    'projection:cases': { status: 'up' },
    readModels: { status: 'up', projection: 'cases', lagEvents: 0, lagSeconds: 0 },
    disk: { status: 'up', path: '/app/data', freeBytes: 52_000_000_000 },
  },
  error: {},
  details: {},
};

/**
 * Probes in @nestjs/terminus' shape, `{status, info, error, details}`, outside the API's base
 * path and without a token. Not ready answers 503 with the same shape (not problem+json: probes
 * and dashboards read terminus' keys) and Retry-After.
 */
const CHECKS: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    required: ['status'],
  },
};

/** terminus' answer, as `HealthCheckService.check` returns it. */
@ApiSchema({ name: 'HealthCheckResult' })
class HealthCheckResultDoc implements HealthCheckResult {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status: HealthCheckResult['status'];
  @ApiProperty({ ...CHECKS, description: 'The checks that are up' })
  info: HealthCheckResult['info'];
  @ApiProperty({ ...CHECKS, description: 'The checks that are down, each with a `message`' })
  error: HealthCheckResult['error'];
  @ApiProperty({ ...CHECKS, description: 'Every check' })
  details: HealthCheckResult['details'];
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  private wasReady: boolean | undefined;

  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('Health');
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'The process is up and serving HTTP; checks no dependency',
  })
  @ApiOkResponse({ type: HealthCheckResultDoc, description: 'Up' })
  @ApiProblems()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    operationId: 'getReadiness',
    summary:
      'Ready for traffic: the event store answers, the read models are within the configured lag and DATA_DIR can be written (embedded store)',
  })
  @ApiOkResponse({ type: HealthCheckResultDoc, description: 'Ready', example: EXAMPLE_READY })
  @ApiProblems()
  @ApiResponse({
    status: 503,
    description: 'Not ready: `error` names each failing check with its reason',
    type: HealthCheckResultDoc,
    headers: { 'Retry-After': { ...HEADERS.retryAfter, required: true } },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      const result = await this.health.check(this.readiness.all());
      this.transition(true, result);
      return result;
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      this.transition(false, result);
      reply.status(503).header('Retry-After', '5');
      return result;
    }
  }

  /** One line when readiness changes, not one per probe. */
  private transition(ready: boolean, result: HealthCheckResult): void {
    if (ready === this.wasReady) return;
    const first = this.wasReady === undefined;
    this.wasReady = ready;
    if (ready && !first) this.logger.info('Ready again');
    if (!ready) this.logger.warn({ error: result.error }, 'Not ready');
  }
}
