import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Paginated } from '../../common/pagination';
import type { Principal } from '../../identity/principal';
import { audienceOf, maySeeCase } from '../access/case-access.policy';
import type { PresentedCase } from '../access/case-visibility';
import { compileCaseListQuery } from '../http/rql/case-list.query';
import { CaseReadModelReader, type ChatParticipant } from './case-read-model.reader';

/** Cases matching an RQL query string, as this caller may see them. */
export class ListCases extends Query<Paginated<PresentedCase>> {
  constructor(
    /** The raw query string, so encoded separators inside values stay values. */
    readonly rql: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** A chat's participants; undefined for a chat this caller may not see or that does not exist. */
export class GetChatParticipants extends Query<ChatParticipant[] | undefined> {
  constructor(
    readonly chatId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

@QueryHandler(ListCases)
export class ListCasesHandler implements IQueryHandler<ListCases, Paginated<PresentedCase>> {
  constructor(private readonly readModels: CaseReadModelReader) {}

  execute({ rql, principal }: ListCases): Promise<Paginated<PresentedCase>> {
    const caller =
      audienceOf(principal) === 'operations'
        ? ({ audience: 'operations' } as const)
        : ({ audience: 'account', accountId: principal.accountId } as const);
    return Promise.resolve(this.readModels.list(compileCaseListQuery(rql, caller)));
  }
}

@QueryHandler(GetChatParticipants)
export class GetChatParticipantsHandler implements IQueryHandler<
  GetChatParticipants,
  ChatParticipant[] | undefined
> {
  constructor(private readonly readModels: CaseReadModelReader) {}

  execute({ chatId, principal }: GetChatParticipants): Promise<ChatParticipant[] | undefined> {
    const chat = this.readModels.participants(chatId);
    // Another account's chat answers exactly as a missing one does.
    const visible = chat && maySeeCase(principal, chat.accountId) ? chat.participants : undefined;
    return Promise.resolve(visible);
  }
}
