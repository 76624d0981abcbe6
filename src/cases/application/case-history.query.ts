import { Optional } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFound } from '../../common/http-errors';
import { EventStore } from '../../event-store/event-store.port';
import { maySeeCase } from '../../identity/case-access.policy';
import type { Principal } from '../../identity/principal';
import { CaseNotFound } from '../domain/case.errors';
import type { CaseCreated } from '../domain/case.events';
import type { CaseHistoryEntry } from '../domain/case.history';
import { CaseHistoryCache } from './case-history.cache';
import { loadCaseHistory } from './case-stream';

/**
 * A case's history as this caller may read it, up to `revision` when given. Both the case and
 * its audit trail are answered from it: every read is a replay.
 */
export class GetCaseHistory extends Query<CaseHistoryEntry[]> {
  constructor(
    readonly caseId: string,
    readonly principal: Principal,
    readonly revision?: number,
  ) {
    super();
  }
}

@QueryHandler(GetCaseHistory)
export class GetCaseHistoryHandler implements IQueryHandler<GetCaseHistory, CaseHistoryEntry[]> {
  constructor(
    private readonly store: EventStore,
    @Optional() private readonly cache?: CaseHistoryCache,
  ) {}

  async execute({ caseId, principal, revision }: GetCaseHistory): Promise<CaseHistoryEntry[]> {
    const history = await loadCaseHistory(this.store, caseId, this.cache);
    const created = history[0]?.event as CaseCreated | undefined;
    if (!created || !maySeeCase(principal, created.data.account.id)) throw new CaseNotFound(caseId);
    if (revision === undefined) return history;
    if (revision > history.length) {
      throw new NotFound(
        `Case ${caseId} has no revision ${revision}; its latest is ${history.length}.`,
      );
    }
    return history.slice(0, revision);
  }
}
