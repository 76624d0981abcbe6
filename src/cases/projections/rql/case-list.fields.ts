import { InvalidRql } from './rql.parser';

export type Audience = 'operations' | 'account';
export type SqlValue = string | number | null;

type Kind = 'text' | 'status' | 'boolean' | 'integer' | 'timestamp';

export interface CaseListField {
  readonly name: string;
  readonly kind: Kind;
  /** The read-model column, which for `audit.updated.at` depends on who asks. */
  readonly column: Readonly<Record<Audience, string>>;
  readonly nullable?: boolean;
  /** Hidden from clients and vendors: neither filtered nor ordered on by them. */
  readonly operationsOnly?: boolean;
}

const same = (column: string) => ({ operations: column, account: column });

const FIELDS: readonly CaseListField[] = [
  { name: 'id', kind: 'text', column: same('id') },
  { name: 'status', kind: 'status', column: same('status') },
  { name: 'awaiting', kind: 'boolean', column: same('awaiting'), operationsOnly: true },
  { name: 'revision', kind: 'integer', column: same('revision') },
  { name: 'queue.id', kind: 'text', column: same('queue_id') },
  { name: 'assignee.id', kind: 'text', column: same('assignee_id'), nullable: true },
  { name: 'account.id', kind: 'text', column: same('account_id') },
  { name: 'reporter.id', kind: 'text', column: same('reporter_id') },
  { name: 'audit.created.at', kind: 'timestamp', column: same('created_at') },
  {
    name: 'audit.updated.at',
    kind: 'timestamp',
    column: { operations: 'updated_at', account: 'reporter_updated_at' },
  },
];

const BY_NAME = new Map(FIELDS.map((field) => [field.name, field]));
export const FIELD_NAMES = FIELDS.map((field) => field.name);

/** Operators each kind of field takes; ordering comparisons make no sense on a status. */
const OPERATORS: Record<Kind, ReadonlySet<string>> = {
  text: new Set(['eq', 'ne', 'in', 'out', 'ilike', 'gt', 'ge', 'lt', 'le']),
  status: new Set(['eq', 'ne', 'in', 'out', 'ilike']),
  boolean: new Set(['eq', 'ne', 'in', 'out']),
  integer: new Set(['eq', 'ne', 'in', 'out', 'gt', 'ge', 'lt', 'le']),
  timestamp: new Set(['eq', 'ne', 'in', 'out', 'ilike', 'gt', 'ge', 'lt', 'le']),
};

const STATUSES = ['Processing', 'Querying', 'Completed'];
/** A date, or a time with its zone: a time without one would be read in the server's zone. */
const ISO_DATE_OR_TIME =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function fieldFor(name: string, audience: Audience): CaseListField {
  const field = BY_NAME.get(name);
  if (!field) {
    throw new InvalidRql(
      `Invalid RQL: unknown field "${name}"; fields are ${FIELD_NAMES.join(', ')}.`,
    );
  }
  if (field.operationsOnly && audience !== 'operations') {
    throw new InvalidRql(`Invalid RQL: "${name}" is available to operations users only.`);
  }
  return field;
}

export function checkOperator(field: CaseListField, operator: string): void {
  if (!OPERATORS[field.kind].has(operator)) {
    throw new InvalidRql(
      `Invalid RQL: ${operator} does not apply to ${field.name}; use ${[...OPERATORS[field.kind]].join(', ')}.`,
    );
  }
}

/** The value as the column stores it; a value that cannot be one is refused, not matched. */
export function columnValue(field: CaseListField, raw: string): SqlValue {
  switch (field.kind) {
    case 'text':
      return raw;
    case 'status': {
      const status = STATUSES.find((s) => s.toLowerCase() === raw.toLowerCase());
      if (status) return status;
      return refuse(field, raw, `one of ${STATUSES.join(', ')} (any letter case)`);
    }
    case 'boolean':
      if (raw === 'true' || raw === 'false') return raw === 'true' ? 1 : 0;
      return refuse(field, raw, 'true or false');
    case 'integer':
      if (/^\d{1,15}$/.test(raw)) return Number(raw);
      return refuse(field, raw, 'a whole number');
    case 'timestamp': {
      const time = ISO_DATE_OR_TIME.test(raw) ? Date.parse(raw) : NaN;
      // Stored times are ISO strings in UTC, which compare in time order as text.
      if (!Number.isNaN(time)) return new Date(time).toISOString();
      return refuse(field, raw, 'an ISO 8601 date or time, e.g. 2026-11-24T10:00:00Z');
    }
  }
}

function refuse(field: CaseListField, raw: string, expected: string): never {
  throw new InvalidRql(`Invalid RQL: ${field.name} must be ${expected}, got "${raw}".`);
}
