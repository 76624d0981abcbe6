import { authorizeCreate } from '../../identity/case-access.policy';
import type { Principal } from '../../identity/principal';
import type { CaseIntent } from '../application/case-command.message';
import type { CreateCaseDto } from './case.dtos';

/**
 * The create body as a CreateCase intent: the account defaults to the caller's, the reporter
 * to the caller, and a client or vendor may name no one else.
 */
export function createIntent(
  body: CreateCaseDto,
  principal: Principal,
  chatId: string,
): CaseIntent {
  const account = body.account ?? { id: principal.accountId, name: principal.accountName };
  const reporter = body.reporter ?? { id: principal.id, name: principal.name };
  authorizeCreate(principal, account.id, reporter.id);
  const ownAccount = account.id === principal.accountId;
  const self = reporter.id === principal.id;
  return {
    type: 'CreateCase',
    data: {
      chatId,
      queue: body.queue,
      account: {
        id: account.id,
        name: account.name ?? (ownAccount ? principal.accountName : undefined),
      },
      reporter: { id: reporter.id, name: reporter.name ?? (self ? principal.name : undefined) },
      assignee: body.assignee ?? null,
      parameters: body.parameters ?? [],
      ...(body.chat?.lastMessage ? { openingMessage: body.chat.lastMessage.content } : {}),
    },
  };
}
