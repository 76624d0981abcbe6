import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErasureFollower } from '../../cases/projections/erasure.follower';
import { validateBody } from '../../cases/http/case-body';
import { Clock } from '../../common/clock';
import { Forbidden } from '../../common/http-errors';
import { ApiAuthenticated } from '../../common/openapi.shapes';
import { CurrentPrincipal } from '../../identity/current-principal.decorator';
import type { Principal } from '../../identity/principal';
import { PersonalDataErasures } from '../personal-data.erasures';
import { ErasureDoc, ErasureRequestDto } from './erasure.dtos';

@ApiTags('personal-data')
@ApiBearerAuth()
@Controller('personal-data/erasures')
export class ErasuresHttpController {
  constructor(
    private readonly erasures: PersonalDataErasures,
    private readonly follower: ErasureFollower,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'erasePersonalData',
    summary: "Erase a person's personal data (operations only)",
    description:
      "Destroys the person's encryption keys, so their name, email and the free text of cases " +
      'they reported read as `"[erased]"` everywhere (events, backups, replicas, read models, ' +
      'the feed), and records `PersonalDataErased` in the stream `personal-data-{id}`. ' +
      'Idempotent: a repeated request answers the same record and changes nothing; an id the ' +
      'service never saw answers `NothingToErase`. Answered once this instance has re-rendered ' +
      'what it held in clear.',
  })
  @ApiBody({ type: ErasureRequestDto })
  @ApiAcceptedResponse({ type: ErasureDoc, description: 'The erasure record' })
  @ApiAuthenticated(400, 403, 413, 415)
  async erase(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<ErasureDoc> {
    if (principal.accountType !== 'operations') {
      throw new Forbidden('Only operations users may erase personal data.');
    }
    const { value } = validateBody(ErasureRequestDto, body);
    const record = await this.erasures.erase(
      value.identity.id,
      {
        id: principal.id,
        accountId: principal.accountId,
        accountType: principal.accountType,
        correlationId: request.id,
      },
      this.clock.now(),
    );
    if (record.position !== undefined) await this.follower.reached(record.position);
    return { identity: record.identity, status: record.status, erasedAt: record.erasedAt };
  }
}
