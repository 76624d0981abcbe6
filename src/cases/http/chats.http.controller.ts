import { Controller, Get, Param, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { NotFound } from '../../common/http-errors';
import type { Paginated } from '../../common/pagination';
import { CurrentPrincipal } from '../../identity/current-principal.decorator';
import type { Principal } from '../../identity/principal';
import { rawQueryOf } from '../../common/query-params';
import type { ChatParticipant } from '../projections/case-read-model.reader';
import { GetChatParticipants } from '../projections/read-model.queries';
import { compileParticipantQuery, listParticipants } from '../rql/participant-list.query';
import { ApiAuthenticated, ApiPageQuery } from '../../common/openapi.shapes';
import { ChatParticipantDoc, ParticipantPage } from './case.openapi';

@ApiTags('chats')
@ApiBearerAuth()
@ApiExtraModels(ChatParticipantDoc)
@Controller('chats')
export class ChatsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':chatId/participants')
  @ApiOperation({
    operationId: 'listChatParticipants',
    summary: "A case chat's participants",
    description:
      'The reporter and every assignee the case has had, each with the time it joined the ' +
      'chat (an assignee assigned again keeps the first time), in the order they joined unless ' +
      '`order` says otherwise (role, audit.created.at, identity.id, id). Each has a stable id. ' +
      'Served from a read model that may lag slightly.',
  })
  @ApiQuery({
    name: 'order',
    required: false,
    schema: { type: 'string' },
    description: 'e.g. `-audit.created.at` or `role`',
  })
  @ApiPageQuery()
  @ApiQuery({
    name: 'select',
    required: false,
    schema: { type: 'string' },
    description: 'e.g. `id,role` or `-identity`; unknown fields: 400',
  })
  @ApiOkResponse({ type: ParticipantPage, description: 'A page of participants' })
  @ApiAuthenticated(400, 404)
  async participants(
    @Param('chatId') chatId: string,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Paginated<ChatParticipant>> {
    const query = compileParticipantQuery(rawQueryOf(request));
    return listParticipants(await this.chat(chatId, principal), query);
  }

  @Get(':chatId/participants/:participantId')
  @ApiOperation({ operationId: 'getChatParticipant', summary: 'One participant of a case chat' })
  @ApiParam({ name: 'participantId', example: 'CHP-1234-5678-9012' })
  @ApiOkResponse({ type: ChatParticipantDoc, description: 'The participant' })
  @ApiAuthenticated(404)
  async participant(
    @Param('chatId') chatId: string,
    @Param('participantId') participantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ChatParticipant> {
    const found = (await this.chat(chatId, principal)).find((p) => p.id === participantId);
    if (!found) throw new NotFound(`Participant ${participantId} not found in chat ${chatId}.`);
    return found;
  }

  /** Another account's chat answers exactly as a missing one does. */
  private async chat(chatId: string, principal: Principal): Promise<ChatParticipant[]> {
    const participants = await this.queries.execute(new GetChatParticipants(chatId, principal));
    if (!participants) throw new NotFound(`Chat ${chatId} not found.`);
    return participants;
  }
}
