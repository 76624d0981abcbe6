import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { problemTitle, problemType } from '../common/problem';
import { Public } from '../identity/public.decorator';
import { ReadinessRegistry } from './readiness.registry';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Every dependency answers; 503 names the ones that do not' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
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
