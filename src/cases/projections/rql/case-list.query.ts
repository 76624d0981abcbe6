import { parsePage, type Page } from '../../../common/pagination';
import {
  checkOperator,
  columnValue,
  fieldFor,
  type Audience,
  type CaseListField,
  type SqlValue,
} from './case-list.fields';
import { InvalidRql, parseRql, type RqlArg, type RqlCall } from './rql.parser';

/** Who lists: operations see every case, anyone else their own account's only. */
export type ListCaller =
  | { readonly audience: 'operations' }
  | {
      readonly audience: 'account';
      readonly accountId: string;
    };

/** A WHERE clause and ORDER BY over the case list table; values travel only in `params`. */
export interface CaseListQuery {
  readonly where: string;
  readonly params: readonly SqlValue[];
  readonly orderBy: string;
  readonly page: Page;
  readonly audience: Audience;
}

const COMPARISONS: Readonly<Record<string, string>> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};
const OPERATORS = ['eq', 'ne', 'in', 'out', 'and', 'or', 'not', 'ilike', 'gt', 'ge', 'lt', 'le'];
const DEFAULT_ORDER = 'audit.created.at';

/**
 * Turns the RQL of `GET /cases` into parameterised SQL. A client's or vendor's account filter is
 * added here whatever the RQL says, and fields hidden from them cannot be named at all.
 */
export function compileCaseListQuery(rawQuery: string, caller: ListCaller): CaseListQuery {
  const { audience } = caller;
  const { calls, assignments } = parseRql(rawQuery);
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  const reserved = new Map<string, string>();
  for (const { name, value } of assignments) {
    if (name === 'limit' || name === 'offset' || name === 'order') {
      if (reserved.has(name)) throw new InvalidRql(`Invalid RQL: ${name} may be given only once.`);
      reserved.set(name, value);
      continue;
    }
    const field = fieldFor(name, audience);
    clauses.push(comparison(field, 'eq', value, audience, params));
  }
  for (const call of calls) clauses.push(compileCall(call, audience, params));
  if (caller.audience === 'account') {
    clauses.push('account_id = ?');
    params.push(caller.accountId);
  }
  return {
    where: clauses.length ? clauses.join(' AND ') : '1',
    params,
    orderBy: orderBy(reserved.get('order') ?? DEFAULT_ORDER, audience),
    page: parsePage(reserved.get('limit'), reserved.get('offset')),
    audience,
  };
}

function compileCall(call: RqlCall, audience: Audience, params: SqlValue[]): string {
  const { name, args } = call;
  switch (name) {
    case 'and':
    case 'or': {
      if (args.length === 0)
        throw new InvalidRql(`Invalid RQL: ${name}() needs at least one condition.`);
      const parts = args.map((arg) => compileCall(asCall(arg, name), audience, params));
      return `(${parts.join(name === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'not':
      if (args.length !== 1)
        throw new InvalidRql('Invalid RQL: not() takes exactly one condition.');
      return `(NOT ${compileCall(asCall(args[0]!, name), audience, params)})`;
    case 'in':
    case 'out': {
      const [fieldArg, ...rest] = args;
      const field = fieldFor(word(fieldArg, name, 'a field name'), audience);
      checkOperator(field, name);
      const items = rest.length === 1 && rest[0]!.kind === 'tuple' ? rest[0].items : rest;
      if (items.length === 0)
        throw new InvalidRql(`Invalid RQL: ${name}() needs at least one value.`);
      const values = items.map((item) => columnValue(field, word(item, name, 'a value')));
      params.push(...values);
      const column = field.column[audience];
      const list = `${column} IN (${values.map(() => '?').join(', ')})`;
      // NULL never equals anything, so "out" must keep unassigned cases explicitly.
      if (name === 'in') return field.nullable ? `coalesce(${list}, 0)` : list;
      return field.nullable ? `(${column} IS NULL OR NOT ${list})` : `NOT ${list}`;
    }
    case 'ilike':
    case 'eq':
    case 'ne':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      if (args.length !== 2)
        throw new InvalidRql(`Invalid RQL: ${name}() takes a field and a value.`);
      const field = fieldFor(word(args[0], name, 'a field name'), audience);
      if (args[1]!.kind === 'call' && args[1].name === 'null' && args[1].args.length === 0) {
        return nullComparison(field, name, audience);
      }
      return comparison(field, name, word(args[1], name, 'a value'), audience, params);
    }
    default:
      throw new InvalidRql(
        `Invalid RQL: unknown operator "${name}"; operators are ${OPERATORS.join(', ')}.`,
      );
  }
}

function comparison(
  field: CaseListField,
  operator: string,
  raw: string,
  audience: Audience,
  params: SqlValue[],
): string {
  checkOperator(field, operator);
  const column = field.column[audience];
  if (operator === 'ilike') {
    params.push(likePattern(raw));
    return `coalesce(${column} LIKE ? ESCAPE '\\', 0)`;
  }
  params.push(columnValue(field, raw));
  // IS and IS NOT never yield NULL, so not(eq(assignee.id,X)) still lists unassigned cases.
  if (operator === 'eq') return `${column} IS ?`;
  if (operator === 'ne') return `${column} IS NOT ?`;
  const compared = `${column} ${COMPARISONS[operator]} ?`;
  return field.nullable ? `coalesce(${compared}, 0)` : compared;
}

function nullComparison(field: CaseListField, operator: string, audience: Audience): string {
  if (operator !== 'eq' && operator !== 'ne') {
    throw new InvalidRql(`Invalid RQL: null() can only be compared with eq or ne.`);
  }
  return `${field.column[audience]} IS ${operator === 'eq' ? '' : 'NOT '}NULL`;
}

/** `*` is the wildcard; SQL's own `%` and `_` are matched literally. LIKE ignores ASCII case. */
function likePattern(raw: string): string {
  return raw.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

function orderBy(raw: string, audience: Audience): string {
  const keys = raw.split(',').map((key) => {
    const descending = key.startsWith('-');
    const name = key.replace(/^[-+]/, '');
    if (name === '') throw new InvalidRql(`Invalid RQL: order needs field names, got "${raw}".`);
    const field = fieldFor(name, audience);
    return { column: field.column[audience], descending };
  });
  // Ties are broken by id so that pages never overlap or skip a case.
  if (!keys.some((key) => key.column === 'id')) keys.push({ column: 'id', descending: false });
  return keys.map((k) => `${k.column} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
}

function asCall(arg: RqlArg, operator: string): RqlCall {
  if (arg.kind === 'call') return arg;
  throw new InvalidRql(`Invalid RQL: ${operator}() takes conditions such as eq(field,value).`);
}

function word(arg: RqlArg | undefined, operator: string, expected: string): string {
  if (arg?.kind === 'word') return arg.value;
  throw new InvalidRql(`Invalid RQL: ${operator}() expects ${expected} here.`);
}
