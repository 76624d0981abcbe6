import { InvalidRql } from './rql.parser';

export type Audience = 'operations' | 'account';
export type SqlValue = string | number | null;

type Kind = 'text' | 'status' | 'boolean' | 'integer' | 'timestamp' | 'reference';

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
  /** The assignee as a whole, for the platform client's `assignee__null`: only null() applies. */
  { name: 'assignee', kind: 'reference', column: same('assignee_id'), nullable: true },
  { name: 'account.id', kind: 'text', column: same('account_id') },
  { name: 'reporter.id', kind: 'text', column: same('reporter_id') },
  { name: 'queue.name', kind: 'text', column: same('queue_name'), nullable: true },
  { name: 'account.name', kind: 'text', column: same('account_name'), nullable: true },
  { name: 'reporter.name', kind: 'text', column: same('reporter_name'), nullable: true },
  /** The assignee's first and last name, as one would write it. */
  { name: 'assignee.name', kind: 'text', column: same('assignee_name'), nullable: true },
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
  text: new Set(['eq', 'ne', 'in', 'out', 'like', 'ilike', 'gt', 'ge', 'lt', 'le']),
  status: new Set(['eq', 'ne', 'in', 'out', 'like', 'ilike']),
  boolean: new Set(['eq', 'ne', 'in', 'out']),
  integer: new Set(['eq', 'ne', 'in', 'out', 'gt', 'ge', 'lt', 'le']),
  timestamp: new Set(['eq', 'ne', 'in', 'out', 'like', 'ilike', 'gt', 'ge', 'lt', 'le']),
  reference: new Set(['eq', 'ne']),
};

const STATUSES = ['Processing', 'Querying', 'Completed'];
/**
 * A date, or a time with or without its zone. A time without one is read as UTC, never in the
 * server's own zone (the platform's client sends Python's `isoformat()`, zoneless for naive times).
 */
const ISO_DATE_OR_TIME =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function fieldFor(name: string, audience: Audience, at?: number): CaseListField {
  const field = BY_NAME.get(name);
  if (!field) {
    throw new InvalidRql(`unknown field "${name}"; fields are ${FIELD_NAMES.join(', ')}.`, at);
  }
  if (field.operationsOnly && audience !== 'operations') {
    throw new InvalidRql(`"${name}" is available to operations users only.`, at);
  }
  return field;
}

export function checkOperator(field: CaseListField, operator: string, at?: number): void {
  if (!OPERATORS[field.kind].has(operator)) {
    throw new InvalidRql(
      `${operator} does not apply to ${field.name}; use ${[...OPERATORS[field.kind]].join(', ')}.`,
      at,
    );
  }
}

/** The value as the column stores it; a value that cannot be one is refused, not matched. */
export function columnValue(field: CaseListField, raw: string, at?: number): SqlValue {
  switch (field.kind) {
    case 'text':
      return raw;
    case 'status': {
      const status = STATUSES.find((s) => s.toLowerCase() === raw.toLowerCase());
      if (status) return status;
      return refuse(field, raw, at, `one of ${STATUSES.join(', ')} (any letter case)`);
    }
    case 'boolean':
      if (raw === 'true' || raw === 'false') return raw === 'true' ? 1 : 0;
      return refuse(field, raw, at, 'true or false');
    case 'integer':
      if (/^\d{1,15}$/.test(raw)) return Number(raw);
      return refuse(field, raw, at, 'a whole number');
    case 'reference':
      return refuse(field, raw, at, `null() (compare ${field.name}.id for a value)`);
    case 'timestamp': {
      const zoned = /T.*(Z|[+-]\d{2}:\d{2})$/.test(raw) || !raw.includes('T') ? raw : `${raw}Z`;
      const time = ISO_DATE_OR_TIME.test(raw) ? Date.parse(zoned) : NaN;
      // Stored times are ISO strings in UTC, which compare in time order as text.
      if (!Number.isNaN(time)) return new Date(time).toISOString();
      return refuse(field, raw, at, 'an ISO 8601 date or time, e.g. 2026-11-24T10:00:00Z');
    }
  }
}

function refuse(
  field: CaseListField,
  raw: string,
  at: number | undefined,
  expected: string,
): never {
  throw new InvalidRql(`${field.name} must be ${expected}, got "${raw}".`, at);
}
