import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Principal } from '../../identity/principal';
import { audienceOf, maySeeCase } from '../access/case-access.policy';
import { narrowCaseView, type PresentedCase } from '../access/case-visibility';
import type { CaseCreated } from '../domain/case.events';
import { CaseNotFound } from '../domain/case.errors';
import { RevisionNotFound } from './case-application.errors';
import { auditTrail, type AuditRecord } from './case-audit-trail';
import { CaseEventStream } from './case-event-stream';
import { caseViewFor } from './case.fold';

/** The Case as this caller may see it, now or at `revision`. */
export class GetCase extends Query<PresentedCase> {
  constructor(
    readonly caseId: string,
    readonly principal: Principal,
    readonly revision?: number,
  ) {
    super();
  }
}

/** The case's audit trail as this caller may see it, oldest first. */
export class GetCaseAuditTrail extends Query<AuditRecord[]> {
  constructor(
    readonly caseId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

@QueryHandler(GetCase)
export class GetCaseHandler implements IQueryHandler<GetCase, PresentedCase> {
  constructor(private readonly stream: CaseEventStream) {}

  async execute({ caseId, principal, revision }: GetCase): Promise<PresentedCase> {
    const fold = await this.stream.load(caseId, { upTo: revision });
    const audience = audienceOf(principal);
    const view = caseViewFor(fold, audience);
    if (!view || !maySeeCase(principal, view.account.id)) throw new CaseNotFound(caseId);
    if (revision !== undefined && fold.revision < revision) {
      const latest = (await this.stream.load(caseId)).revision;
      throw new RevisionNotFound(
        `Case ${caseId} has no revision ${revision}; its latest is ${latest}.`,
      );
    }
    return narrowCaseView(view, audience);
  }
}

@QueryHandler(GetCaseAuditTrail)
export class GetCaseAuditTrailHandler implements IQueryHandler<GetCaseAuditTrail, AuditRecord[]> {
  constructor(private readonly stream: CaseEventStream) {}

  async execute({ caseId, principal }: GetCaseAuditTrail): Promise<AuditRecord[]> {
    const history = await this.stream.history(caseId);
    const created = history[0]?.event as CaseCreated | undefined;
    if (created?.type !== 'CaseCreated' || !maySeeCase(principal, created.data.account.id)) {
      throw new CaseNotFound(caseId);
    }
    return auditTrail(caseId, history, audienceOf(principal));
  }
}
