import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Paginated } from '../../common/pagination';
import type { Principal } from '../../identity/principal';
import { audienceOf, maySeeCase } from '../access/case-access.policy';
import type { PresentedCase } from '../access/case-visibility';
import { compileCaseListQuery } from '../rql/case-list.query';
import { applySelection } from '../rql/select';
import { CaseReadModelReader, type ChatParticipant } from './case-read-model.reader';
import { ReadYourWrites } from './read-your-writes';

/** Cases matching an RQL query string, as this caller may see them. */
export class ListCases extends Query<Paginated<Partial<PresentedCase>>> {
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
export class ListCasesHandler implements IQueryHandler<
  ListCases,
  Paginated<Partial<PresentedCase>>
> {
  constructor(
    private readonly readModels: CaseReadModelReader,
    private readonly ownWrites: ReadYourWrites,
  ) {}

  async execute({ rql, principal }: ListCases): Promise<Paginated<Partial<PresentedCase>>> {
    const caller =
      audienceOf(principal) === 'operations'
        ? ({ audience: 'operations' } as const)
        : ({ audience: 'account', accountId: principal.accountId } as const);
    const query = compileCaseListQuery(rql, caller);
    await this.ownWrites.settle();
    const page = this.readModels.list(query);
    return { ...page, data: page.data.map((item) => applySelection(item, query.selection)) };
  }
}

@QueryHandler(GetChatParticipants)
export class GetChatParticipantsHandler implements IQueryHandler<
  GetChatParticipants,
  ChatParticipant[] | undefined
> {
  constructor(
    private readonly readModels: CaseReadModelReader,
    private readonly ownWrites: ReadYourWrites,
  ) {}

  async execute({
    chatId,
    principal,
  }: GetChatParticipants): Promise<ChatParticipant[] | undefined> {
    await this.ownWrites.settle();
    const chat = this.readModels.participants(chatId);
    // Another account's chat answers exactly as a missing one does.
    return chat && maySeeCase(principal, chat.accountId) ? chat.participants : undefined;
  }
}
