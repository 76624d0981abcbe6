import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CASE_EVENT_TYPES } from '../cases/domain/case.events';
import { Forbidden } from '../common/http-errors';
import { ProblemError } from '../common/problem';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.module';
import { audienceOf } from '../cases/access/case-access.policy';
import { CurrentPrincipal } from '../identity/current-principal.decorator';
import type { Principal } from '../identity/principal';
import { ApiAuthenticated } from '../common/openapi.shapes';
import { CaseEventFeed } from './case-event-feed';
import { parseFeedRequest } from './feed-request';
import { SseStream } from './sse-stream';

/** GET /case-events: every case event as server-sent events (docs/event-contract.md). */
@ApiTags('feed')
@ApiBearerAuth()
@Controller('case-events')
export class CaseEventsHttpController {
  constructor(
    private readonly feed: CaseEventFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'followCaseEvents',
    summary: 'Follow every case event: catch-up from a position, then live',
    description:
      'text/event-stream; `id` is the global position, `event` the type, `data` the envelope JSON. Resume with Last-Event-ID (preferred) or ?after=. Operations only. See docs/asyncapi.yaml.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this position' })
  @ApiQuery({
    name: 'after',
    required: false,
    type: String,
    description: 'Resume after this position',
  })
  @ApiQuery({
    name: 'types',
    required: false,
    type: String,
    description: CASE_EVENT_TYPES.join(','),
  })
  @ApiResponse({
    status: 200,
    description: 'An endless text/event-stream',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiAuthenticated(400, 403)
  async follow(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (audienceOf(principal) !== 'operations') {
      throw new Forbidden('Only operations users may follow the case event feed.');
    }
    // Everything that can refuse the request runs before the first byte is written.
    const feedRequest = parseFeedRequest({
      after: query.after,
      types: query.types,
      lastEventId: request.headers['last-event-id'],
    });
    // Checked and counted in the same turn (serve registers the stream synchronously), so
    // concurrent connections cannot slip past the limit together.
    if (this.feed.openStreams >= this.config.feedMaxConnections) {
      throw new FeedConnectionsExhausted(
        `This instance already serves ${this.config.feedMaxConnections} feed streams, its limit (FEED_MAX_CONNECTIONS).`,
      );
    }
    reply.hijack();
    const sse = new SseStream(reply.raw, this.config.sseHeartbeatMs, headersOf(reply));
    await this.feed.serve(feedRequest, sse);
  }
}

/** Capacity of this instance, not a fault of the caller: 503, and try again later. */
class FeedConnectionsExhausted extends ProblemError {
  readonly status = 503;
  override readonly headers = { 'Retry-After': '5' };
}

/** Headers hooks already set on the reply (X-Correlation-Id), which hijacking would drop. */
function headersOf(reply: FastifyReply): Record<string, string | number | string[]> {
  return Object.fromEntries(
    Object.entries(reply.getHeaders()).filter(([, value]) => value !== undefined),
  ) as Record<string, string | number | string[]>;
}
