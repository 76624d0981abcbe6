import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFound } from '../../common/http-errors';
import { CurrentPrincipal } from '../../identity/current-principal.decorator';
import type { Principal } from '../../identity/principal';
import type { ChatParticipant } from '../projections/case-read-model.reader';
import { GetChatParticipants } from '../projections/read-model.queries';

@ApiTags('chats')
@ApiBearerAuth()
@Controller('chats')
export class ChatsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':chatId/participants')
  @ApiOperation({
    summary: "A case chat's participants",
    description:
      'The reporter and every assignee the case has had, each with the time it joined the ' +
      'chat (an assignee assigned again keeps the first time), in the order they joined. A plain ' +
      'array: a chat has few participants. Served from a read model that may lag slightly.',
  })
  @ApiOkResponse({
    description: '`[{identity, role: "Reporter" | "Assignee", audit: {created: {at}}}]`',
  })
  async participants(
    @Param('chatId') chatId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ChatParticipant[]> {
    const participants = await this.queries.execute(new GetChatParticipants(chatId, principal));
    if (!participants) throw new NotFound(`Chat ${chatId} not found.`);
    return participants;
  }
}
