import type { Principal } from '../../identity/principal';
import type { CreateCase } from '../domain/case.commands';
import type { CreateCaseDto } from './case.dtos';

/**
 * The create body as CreateCase data: the account defaults to the caller's and the reporter to
 * the caller, with the caller's names filled in where the body names them without one. Who may
 * open which case is the access policy's call, in the pipeline.
 */
export function createCaseData(
  body: CreateCaseDto,
  principal: Principal,
  chatId: string,
): CreateCase['data'] {
  const account = body.account ?? { id: principal.accountId, name: principal.accountName };
  const reporter = body.reporter ?? { id: principal.id, name: principal.name };
  const ownAccount = account.id === principal.accountId;
  const self = reporter.id === principal.id;
  return {
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
  };
}
