import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFound } from '../../common/http-errors';
import { maySeeCase } from '../../identity/case-access.policy';
import { CurrentPrincipal } from '../../identity/current-principal.decorator';
import type { Principal } from '../../identity/principal';
import { CaseReadModelReader, type ChatParticipant } from '../projections/case-read-model.reader';

@ApiTags('chats')
@ApiBearerAuth()
@Controller('chats')
export class ChatsHttpController {
  constructor(private readonly readModels: CaseReadModelReader) {}

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
  participants(
    @Param('chatId') chatId: string,
    @CurrentPrincipal() principal: Principal,
  ): ChatParticipant[] {
    const chat = this.readModels.participants(chatId);
    // Another account's chat answers exactly as a missing one does.
    if (!chat || !maySeeCase(principal, chat.accountId)) {
      throw new NotFound(`Chat ${chatId} not found.`);
    }
    return chat.participants;
  }
}
