import type { Page } from '../../common/pagination';
import {
  checkOperator,
  columnValue,
  fieldFor,
  type Audience,
  type CaseListField,
  type SqlValue,
} from './case-list.fields';
import { caseFields } from './case.select-fields';
import { ilikePattern, likeGlob } from './rql.patterns';
import { InvalidRql, parseRql, type RqlArg, type RqlCall, type RqlValue } from './rql.parser';
import { pageOf, parseReserved } from './rql.reserved';
import { parseSelect, type Selection } from './select';

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
  /** What `select=` keeps of each case; undefined for the whole case. */
  readonly selection?: Selection;
}

const COMPARISONS: Readonly<Record<string, string>> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};
const OPERATORS = [
  'eq',
  'ne',
  'in',
  'out',
  'and',
  'or',
  'not',
  'like',
  'ilike',
  'gt',
  'ge',
  'lt',
  'le',
];
/** The platform's operators this service does not take, each refused with its reason. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  any: 'any() is not supported: a case has no collection to filter on.',
  all: 'all() is not supported: a case has no collection to filter on.',
  render: 'render() is not supported: cases have no templates to render.',
};
const DEFAULT_ORDER = 'audit.created.at';

/**
 * Turns the RQL of `GET /cases` into parameterised SQL. A client's or vendor's account filter is
 * added here whatever the RQL says, and fields hidden from them cannot be named at all.
 */
export function compileCaseListQuery(rawQuery: string, caller: ListCaller): CaseListQuery {
  const { audience } = caller;
  const { calls, assignments } = parseRql(rawQuery);
  const { reserved, filters } = parseReserved(assignments);
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  for (const { name, value, at } of filters) {
    clauses.push(compare(fieldFor(name, audience, at), 'eq', value(), audience, params));
  }
  for (const call of calls) clauses.push(compileCall(call, audience, params));
  if (caller.audience === 'account') {
    clauses.push('account_id = ?');
    params.push(caller.accountId);
  }
  const select = reserved.get('select');
  return {
    where: clauses.length ? clauses.join(' AND ') : '1',
    params,
    orderBy: orderBy(reserved.get('order') ?? { text: DEFAULT_ORDER, at: 0 }, audience),
    page: pageOf(reserved),
    audience,
    ...(select ? { selection: parseSelect(select.text, caseFields(audience)) } : {}),
  };
}

function compileCall(call: RqlCall, audience: Audience, params: SqlValue[]): string {
  const { name, args, at } = call;
  switch (name) {
    case 'and':
    case 'or': {
      if (args.length === 0) throw new InvalidRql(`${name}() needs at least one condition.`, at);
      const parts = args.map((arg) => compileCall(asCall(arg, name), audience, params));
      return `(${parts.join(name === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'not':
      if (args.length !== 1) throw new InvalidRql('not() takes exactly one condition.', at);
      return `(NOT ${compileCall(asCall(args[0]!, name), audience, params)})`;
    case 'in':
    case 'out': {
      const [fieldArg, ...rest] = args;
      const field = fieldFor(word(fieldArg, call, 'a field name').text, audience, fieldArg?.at);
      checkOperator(field, name, at);
      const items = rest.length === 1 && rest[0]!.kind === 'tuple' ? rest[0].items : rest;
      if (items.length === 0) throw new InvalidRql(`${name}() needs at least one value.`, at);
      const values = items.map((item) => {
        const value = word(item, call, 'a value');
        return columnValue(field, value.text, value.at);
      });
      params.push(...values);
      const column = field.column[audience];
      const list = `${column} IN (${values.map(() => '?').join(', ')})`;
      // NULL never equals anything, so "out" must keep rows without a value explicitly.
      if (name === 'in') return field.nullable ? `coalesce(${list}, 0)` : list;
      return field.nullable ? `(${column} IS NULL OR NOT ${list})` : `NOT ${list}`;
    }
    case 'like':
    case 'ilike':
    case 'eq':
    case 'ne':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      if (args.length !== 2) throw new InvalidRql(`${name}() takes a field and a value.`, at);
      const field = fieldFor(word(args[0], call, 'a field name').text, audience, args[0]!.at);
      return compare(field, name, args[1]!, audience, params);
    }
    default:
      throw new InvalidRql(
        UNSUPPORTED[name] ?? `unknown operator "${name}"; operators are ${OPERATORS.join(', ')}.`,
        at,
      );
  }
}

function compare(
  field: CaseListField,
  operator: string,
  arg: RqlArg,
  audience: Audience,
  params: SqlValue[],
): string {
  checkOperator(field, operator, arg.at);
  const column = field.column[audience];
  if (arg.kind === 'call') return constantComparison(field, operator, arg, column, params);
  const value = word(arg, { name: operator, at: arg.at }, 'a value');
  if (operator === 'ilike' || operator === 'like') {
    // Both match the text as stored: for a time, its UTC ISO form.
    params.push(operator === 'ilike' ? ilikePattern(value.text) : likeGlob(value.text));
    const match = operator === 'ilike' ? `${column} LIKE ? ESCAPE '\\'` : `${column} GLOB ?`;
    return `coalesce(${match}, 0)`;
  }
  params.push(columnValue(field, value.text, value.at));
  // IS and IS NOT never yield NULL, so not(eq(assignee.id,X)) still lists unassigned cases.
  if (operator === 'eq') return `${column} IS ?`;
  if (operator === 'ne') return `${column} IS NOT ?`;
  const compared = `${column} ${COMPARISONS[operator]} ?`;
  return field.nullable ? `coalesce(${compared}, 0)` : compared;
}

/** `eq(f,null())`, `ne(f,empty())`: the platform's constants, compared with eq or ne only. */
function constantComparison(
  field: CaseListField,
  operator: string,
  constant: RqlCall,
  column: string,
  params: SqlValue[],
): string {
  const { name, args, at } = constant;
  if ((name !== 'null' && name !== 'empty') || args.length > 0) {
    throw new InvalidRql(`expected a value, null() or empty(), got ${name}(…).`, at);
  }
  if (operator !== 'eq' && operator !== 'ne') {
    throw new InvalidRql(`${name}() can only be compared with eq or ne.`, at);
  }
  const negated = operator === 'ne' ? 'NOT ' : '';
  if (name === 'null') return `${column} IS ${negated}NULL`;
  if (field.kind !== 'text') {
    throw new InvalidRql(`empty() applies to text fields only, not to ${field.name}.`, at);
  }
  params.push('');
  return `${column} IS ${negated}?`;
}

function orderBy({ text, at }: { text: string; at: number }, audience: Audience): string {
  const keys = text.split(',').map((key) => {
    const descending = key.startsWith('-');
    const name = key.replace(/^[-+]/, '');
    if (name === '') throw new InvalidRql(`order needs field names, got "${text}".`, at);
    const field = fieldFor(name, audience, at);
    return { column: field.column[audience], descending };
  });
  // Ties are broken by id so that pages never overlap or skip a case.
  if (!keys.some((key) => key.column === 'id')) keys.push({ column: 'id', descending: false });
  return keys.map((k) => `${k.column} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
}

function asCall(arg: RqlArg, operator: string): RqlCall {
  if (arg.kind === 'call') return arg;
  throw new InvalidRql(`${operator}() takes conditions such as eq(field,value).`, arg.at);
}

function word(
  arg: RqlArg | undefined,
  call: { name: string; at: number },
  expected: string,
): RqlValue {
  if (arg?.kind === 'value') return arg;
  throw new InvalidRql(`${call.name}() expects ${expected} here.`, arg?.at ?? call.at);
}
