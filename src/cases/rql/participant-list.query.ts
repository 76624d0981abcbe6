import { paginate, type Page, type Paginated } from '../../common/pagination';
import { InvalidRql, parseRql } from './rql.parser';
import { pageOf, parseReserved } from './rql.reserved';
import { applySelection, parseSelect, type FieldTree, type Selection } from './select';

/** What a participant is, as far as this query needs. */
interface Participant {
  readonly id: string;
  readonly identity: { readonly id: string };
  readonly role: string;
  readonly audit: { readonly created: { readonly at: string } };
}

const SORT_KEYS: Readonly<Record<string, (p: Participant) => string>> = {
  id: (p) => p.id,
  role: (p) => p.role,
  'identity.id': (p) => p.identity.id,
  'audit.created.at': (p) => p.audit.created.at,
};

export const PARTICIPANT_FIELDS: FieldTree = {
  id: true,
  identity: { id: true, name: true, email: true, firstName: true, lastName: true },
  role: true,
  audit: { created: { at: true } },
};

export interface ParticipantListQuery {
  readonly order: readonly { key: (p: Participant) => string; descending: boolean }[];
  readonly page: Page;
  readonly selection?: Selection;
}

/**
 * The query of `GET /chats/{chatId}/participants`: `order`, `limit`, `offset` and `select`, the
 * same reserved words as on the case list. A chat has a handful of participants, so filters are
 * not offered: naming one is a 400 rather than a filter silently ignored.
 */
export function compileParticipantQuery(rawQuery: string): ParticipantListQuery {
  const { calls, assignments } = parseRql(rawQuery);
  const { reserved, filters } = parseReserved(assignments);
  const filter = calls[0] ?? filters[0];
  if (filter) {
    throw new InvalidRql(
      'participants take only order, limit, offset and select, not filters.',
      filter.at,
    );
  }
  const order = reserved.get('order');
  const select = reserved.get('select');
  return {
    order: order ? orderKeys(order.text, order.at) : [],
    page: pageOf(reserved),
    ...(select ? { selection: parseSelect(select.text, PARTICIPANT_FIELDS) } : {}),
  };
}

/** Sorted (ties keep the order they joined in), paged and selected. */
export function listParticipants<T extends Participant>(
  participants: readonly T[],
  query: ParticipantListQuery,
): Paginated<T> {
  const sorted = [...participants].sort((a, b) => {
    for (const { key, descending } of query.order) {
      const compared = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
      if (compared !== 0) return descending ? -compared : compared;
    }
    return 0;
  });
  const page = paginate(sorted, query.page);
  return { ...page, data: page.data.map((p) => applySelection(p, query.selection)) };
}

function orderKeys(text: string, at: number): ParticipantListQuery['order'] {
  return text.split(',').map((item) => {
    const name = item.replace(/^[-+]/, '');
    const key = SORT_KEYS[name];
    if (!key) {
      throw new InvalidRql(
        `participants cannot be ordered by "${name}"; use ${Object.keys(SORT_KEYS).join(', ')}.`,
        at,
      );
    }
    return { key, descending: item.startsWith('-') };
  });
}
