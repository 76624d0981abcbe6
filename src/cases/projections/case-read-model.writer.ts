import type Database from 'better-sqlite3';
import { isEventVisibleTo } from '../access/case-access.policy';
import { narrowCaseView } from '../access/case-visibility';
import type { CaseEventRecord } from '../application/case-event.codec';
import type { CaseHistoryEntry } from '../domain/case.history';
import {
  caseViewOf,
  emptyCaseViewFold,
  stepCaseView,
  type CaseAudit,
  type CaseView,
  type CaseViewFold,
} from '../domain/case.view';
import type { Assignee, Reporter } from '../domain/case.values';
import { caseListTable, participantsTable } from './read-models.schema';

/**
 * Every client or vendor who may see a case sees the same thing (the account audience), so
 * one stored view serves them all.
 */
const accountMaySee = (entry: CaseHistoryEntry) => isEventVisibleTo('account', entry);

/** The fold kept per case: one state, and the audit each audience has seen so far. */
interface StoredFold {
  readonly operations: CaseViewFold;
  readonly reporterAudit: CaseAudit;
}

/** An event the read models cannot take: the projection must stop rather than skip it. */
export class UnprojectableEvent extends Error {
  override readonly name = 'UnprojectableEvent';
}

/**
 * Applies case events to one generation's tables. It checks that each event is the next one of
 * its case (revision = stored revision + 1), so an event applied twice or a gap in a stream is
 * an error, never a silent double count. Runs inside the caller's transaction.
 */
export class CaseReadModelWriter {
  private readonly statements;

  constructor(db: Database.Database, generation: number) {
    const cases = caseListTable(generation);
    const participants = participantsTable(generation);
    this.statements = {
      fold: db.prepare(`SELECT fold FROM ${cases} WHERE id = ?`).pluck(),
      upsert: db.prepare(`INSERT INTO ${cases} (id, account_id, status, awaiting, revision,
          queue_id, assignee_id, reporter_id, queue_name, account_name, reporter_name,
          assignee_name, chat_id, created_at, updated_at, reporter_updated_at, fold,
          operations_view, reporter_view)
        VALUES (@id, @accountId, @status, @awaiting, @revision, @queueId, @assigneeId,
          @reporterId, @queueName, @accountName, @reporterName, @assigneeName, @chatId,
          @createdAt, @updatedAt, @reporterUpdatedAt, @fold, @operationsView, @reporterView)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, awaiting = excluded.awaiting,
          revision = excluded.revision, queue_id = excluded.queue_id,
          assignee_id = excluded.assignee_id, queue_name = excluded.queue_name,
          assignee_name = excluded.assignee_name, updated_at = excluded.updated_at,
          reporter_updated_at = excluded.reporter_updated_at, fold = excluded.fold,
          operations_view = excluded.operations_view, reporter_view = excluded.reporter_view`),
      revision: db.prepare(`SELECT revision FROM ${cases} WHERE id = ?`).pluck(),
      mentioning: db
        .prepare(
          `SELECT id FROM ${cases} WHERE instr(fold, @quoted) > 0
           UNION SELECT c.id FROM ${participants} p JOIN ${cases} c ON c.chat_id = p.chat_id
             WHERE p.identity_id = @id`,
        )
        .pluck(),
      removeCase: db.prepare(`DELETE FROM ${cases} WHERE id = ?`),
      removeParticipants: db.prepare(
        `DELETE FROM ${participants} WHERE chat_id = (SELECT chat_id FROM ${cases} WHERE id = ?)`,
      ),
      // The first time an identity joined the chat in a role is the one kept.
      participant: db.prepare(`INSERT OR IGNORE INTO ${participants}
          (chat_id, role, identity_id, identity, added_at, seq)
        VALUES (?, ?, ?, ?, ?, ?)`),
    };
  }

  /** Cases whose rows hold anything of this person (as reporter, assignee or actor). */
  casesMentioning(subjectId: string): string[] {
    return this.statements.mentioning.all({
      quoted: JSON.stringify(subjectId),
      id: subjectId,
    }) as string[];
  }

  /** The revision the case's row reflects; 0 when there is none. */
  revisionOf(caseId: string): number {
    return (this.statements.revision.get(caseId) as number | undefined) ?? 0;
  }

  /** Drops the case's rows so its events can be applied again from the first. */
  remove(caseId: string): void {
    this.statements.removeParticipants.run(caseId);
    this.statements.removeCase.run(caseId);
  }

  apply(entry: CaseEventRecord): void {
    const streamCaseId = entry.caseId;
    const stored = this.statements.fold.get(streamCaseId) as string | undefined;
    const previous = stored ? (JSON.parse(stored) as StoredFold) : undefined;
    if (entry.event.type === 'CaseCreated' && previous) {
      throw new UnprojectableEvent(`Case ${streamCaseId} was already created.`);
    }
    if (entry.event.type !== 'CaseCreated' && !previous) {
      throw new UnprojectableEvent(`Case ${streamCaseId} has no CaseCreated before this event.`);
    }
    const expected = (previous?.operations.revision ?? 0) + 1;
    if (entry.revision !== expected) {
      throw new UnprojectableEvent(
        `Case ${streamCaseId} expected revision ${expected} next, got ${entry.revision}.`,
      );
    }
    const before = previous?.operations ?? emptyCaseViewFold;
    const operations = stepCaseView(before, entry);
    const reporterFold = stepCaseView(
      { ...before, audit: previous?.reporterAudit ?? {} },
      entry,
      accountMaySee,
    );
    const view = caseViewOf(operations);
    const reporterView = caseViewOf(reporterFold);
    if (!view || !reporterView || view.id !== streamCaseId) {
      throw new UnprojectableEvent(`Case ${streamCaseId} does not fold into a case.`);
    }
    this.upsert(view, narrowCaseView(reporterView, 'account'), {
      operations,
      reporterAudit: reporterFold.audit,
    });
    this.addParticipants(view, entry, entry.position);
  }

  private upsert(view: CaseView, reporterView: object, fold: StoredFold): void {
    this.statements.upsert.run({
      id: view.id,
      accountId: view.account.id,
      status: view.status,
      awaiting: view.awaiting ? 1 : 0,
      revision: view.revision,
      queueId: view.queue.id,
      assigneeId: view.assignee?.id ?? null,
      reporterId: view.reporter.id,
      queueName: view.queue.name ?? null,
      accountName: view.account.name ?? null,
      reporterName: view.reporter.name ?? null,
      assigneeName: view.assignee ? fullName(view.assignee) : null,
      chatId: view.chat.id,
      createdAt: required(view.audit.created?.at, view.id),
      updatedAt: required(view.audit.updated?.at, view.id),
      reporterUpdatedAt: required(fold.reporterAudit.updated?.at, view.id),
      fold: JSON.stringify(fold),
      operationsView: JSON.stringify(view),
      reporterView: JSON.stringify(reporterView),
    });
  }

  private addParticipants(view: CaseView, entry: CaseHistoryEntry, position: bigint): void {
    const add = (role: 'Reporter' | 'Assignee', identity: Reporter | Assignee) =>
      this.statements.participant.run(
        view.chat.id,
        role,
        identity.id,
        JSON.stringify(identity),
        entry.metadata.occurredAt,
        position,
      );
    const { event } = entry;
    if (event.type === 'CaseCreated') {
      add('Reporter', event.data.reporter);
      if (event.data.assignee) add('Assignee', event.data.assignee);
    } else if (event.type === 'CaseAssigned') {
      add('Assignee', event.data.assignee);
    }
  }
}

/** The assignee's name as a person searches for it: first and last, or whichever there is. */
function fullName({ firstName, lastName }: Assignee): string | null {
  return [firstName, lastName].filter(Boolean).join(' ') || null;
}

function required(at: string | undefined, caseId: string): string {
  if (at === undefined) throw new UnprojectableEvent(`Case ${caseId} has no creation audit.`);
  return at;
}
