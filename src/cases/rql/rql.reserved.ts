import { BadRequest } from '../../common/http-errors';
import { parseLimit, parseOffset, type Page } from '../../common/pagination';
import { InvalidRql, type RqlAssignment } from './rql.parser';

export const RESERVED_WORDS = ['order', 'select', 'limit', 'offset'] as const;
type Reserved = (typeof RESERVED_WORDS)[number];

const isReserved = (name: string): name is Reserved =>
  (RESERVED_WORDS as readonly string[]).includes(name);

/**
 * Splits `name=value` terms into the reserved words (each at most once; they are not fields)
 * and the `field=value` filters.
 */
export function parseReserved(assignments: readonly RqlAssignment[]): {
  reserved: ReadonlyMap<Reserved, RqlAssignment>;
  filters: readonly RqlAssignment[];
} {
  const reserved = new Map<Reserved, RqlAssignment>();
  const filters: RqlAssignment[] = [];
  for (const assignment of assignments) {
    const { name, at } = assignment;
    if (!isReserved(name)) filters.push(assignment);
    else if (reserved.has(name)) throw new InvalidRql(`${name} may be given only once.`, at);
    else reserved.set(name, assignment);
  }
  return { reserved, filters };
}

/** `limit` and `offset`, refused like any other RQL term: with their position. */
export function pageOf(reserved: ReadonlyMap<Reserved, RqlAssignment>): Page {
  return {
    limit: located(reserved.get('limit'), parseLimit),
    offset: located(reserved.get('offset'), parseOffset),
  };
}

function located(term: RqlAssignment | undefined, parse: (raw?: string) => number): number {
  try {
    return parse(term?.text);
  } catch (error) {
    if (term && error instanceof BadRequest) throw new InvalidRql(error.message, term.at);
    throw error;
  }
}
