import { AUDIT_ORDER } from '../domain/case.view';
import type { FieldTree } from './select';

const AUDIT_ENTRY: FieldTree = {
  at: true,
  by: { id: true, name: true },
  of: { id: true, name: true },
};

const SHARED_CASE_FIELDS: FieldTree = {
  id: true,
  revision: true,
  status: true,
  queryPrompt: true,
  queue: { id: true, name: true, workflow: true },
  assignee: { id: true, email: true, firstName: true, lastName: true },
  account: { id: true, name: true },
  reporter: { id: true, name: true },
  chat: { id: true, type: true },
  parameters: {
    id: true,
    name: true,
    scope: true,
    phase: true,
    constraints: { visibleToReporter: true },
    externalId: true,
    value: 'open',
  },
};

const CASE_FIELDS: Record<'operations' | 'account', FieldTree> = {
  operations: {
    ...SHARED_CASE_FIELDS,
    awaiting: true,
    audit: Object.fromEntries(AUDIT_ORDER.map((key) => [key, AUDIT_ENTRY])),
  },
  // Clients and vendors never see `awaiting`, so they cannot select it either: it is unknown.
  account: {
    ...SHARED_CASE_FIELDS,
    audit: Object.fromEntries(
      AUDIT_ORDER.filter((key) => key !== 'awaitingChanged').map((key) => [key, AUDIT_ENTRY]),
    ),
  },
};

/** The fields of the Case resource as this audience sees it. */
export const caseFields = (audience: 'operations' | 'account'): FieldTree => CASE_FIELDS[audience];

/** The fields of one record of `GET /cases/{id}/audit`. */
export const AUDIT_RECORD_FIELDS: FieldTree = {
  id: true,
  revision: true,
  event: true,
  at: true,
  actor: { id: true, name: true, account: { id: true, name: true, accountType: true } },
  object: { id: true, objectType: true, revision: true },
  details: 'open',
  request: { log: { correlationId: true } },
};
