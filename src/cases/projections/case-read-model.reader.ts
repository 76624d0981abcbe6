import type { Paginated } from '../../common/pagination';
import type { PresentedCase } from '../access/case-visibility';
import type { CaseListQuery } from '../rql/case-list.query';
import type { Assignee, Reporter } from '../domain/case.values';
import type { ReadModelsDatabase } from './read-models.database';
import { participantId } from './participant-id';
import { caseListTable, participantsTable } from './read-models.schema';

export interface ChatParticipant {
  readonly id: string;
  readonly identity: Reporter | Assignee;
  readonly role: 'Reporter' | 'Assignee';
  readonly audit: { readonly created: { readonly at: string } };
}

export interface ChatParticipants {
  /** The account of the chat's case, for the caller's access check. */
  readonly accountId: string;
  readonly participants: ChatParticipant[];
}

/**
 * Answers lists from the active generation. Each answer reads in one snapshot, so the total and
 * the page agree, and a rebuild's switch is seen either entirely or not at all.
 */
export class CaseReadModelReader {
  constructor(private readonly readModels: ReadModelsDatabase) {}

  list(query: CaseListQuery): Paginated<PresentedCase> {
    const { where, params, orderBy, page, audience } = query;
    const view = audience === 'operations' ? 'operations_view' : 'reporter_view';
    return this.readModels.snapshot(() => {
      const table = caseListTable(this.readModels.activeGeneration());
      const db = this.readModels.db;
      const total = db
        .prepare(`SELECT count(*) FROM ${table} WHERE ${where}`)
        .pluck()
        .get(...params) as number;
      const rows = db
        .prepare(`SELECT ${view} FROM ${table} WHERE ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?`)
        .pluck()
        .all(...params, page.limit, page.offset) as string[];
      return {
        $meta: { pagination: { offset: page.offset, limit: page.limit, total } },
        data: rows.map((row) => JSON.parse(row) as PresentedCase),
      };
    });
  }

  /** Undefined when no case has this chat (yet). */
  participants(chatId: string): ChatParticipants | undefined {
    return this.readModels.snapshot(() => {
      const generation = this.readModels.activeGeneration();
      const db = this.readModels.db;
      const accountId = db
        .prepare(`SELECT account_id FROM ${caseListTable(generation)} WHERE chat_id = ?`)
        .pluck()
        .get(chatId) as string | undefined;
      if (accountId === undefined) return undefined;
      const rows = db
        .prepare(
          `SELECT role, identity_id, identity, added_at FROM ${participantsTable(generation)}
           WHERE chat_id = ? ORDER BY seq, role = 'Assignee', identity_id`,
        )
        .all(chatId) as {
        role: ChatParticipant['role'];
        identity_id: string;
        identity: string;
        added_at: string;
      }[];
      return {
        accountId,
        participants: rows.map((row) => ({
          id: participantId(chatId, row.role, row.identity_id),
          identity: JSON.parse(row.identity) as Reporter | Assignee,
          role: row.role,
          audit: { created: { at: row.added_at } },
        })),
      };
    });
  }
}
