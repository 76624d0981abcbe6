import { ProblemError } from '../../../src/common/problem';
import { AUDIT_RECORD_FIELDS, caseFields } from '../../../src/cases/rql/case.select-fields';
import { applySelection, parseSelect, type FieldTree } from '../../../src/cases/rql/select';

const FIELDS: FieldTree = {
  id: true,
  status: true,
  queue: { id: true, name: true },
  assignee: { id: true, email: true },
  parameters: { id: true, value: 'open' },
  audit: { created: { at: true, by: { id: true } } },
};

const RESOURCE = {
  id: 'CAS-1',
  status: 'Querying',
  queue: { id: 'HQU-1', name: 'Billing' },
  assignee: null,
  parameters: [
    { id: 'PAR-1', value: { a: 1, b: 2 } },
    { id: 'PAR-2', value: 7 },
  ],
  audit: { created: { at: '2026-01-01T00:00:00.000Z', by: { id: 'USR-1' } } },
};

describe('select', () => {
  it.each<[string, object]>([
    ['status', { id: 'CAS-1', status: 'Querying' }],
    ['id,status', { id: 'CAS-1', status: 'Querying' }],
    ['queue.name', { id: 'CAS-1', queue: { name: 'Billing' } }],
    ['queue.name,queue', { id: 'CAS-1', queue: RESOURCE.queue }],
    ['queue,queue.name', { id: 'CAS-1', queue: RESOURCE.queue }],
    ['assignee.email', { id: 'CAS-1', assignee: null }],
    ['parameters.id', { id: 'CAS-1', parameters: [{ id: 'PAR-1' }, { id: 'PAR-2' }] }],
    ['parameters.value.a', { id: 'CAS-1', parameters: [{ value: { a: 1 } }, { value: 7 }] }],
    ['audit.created.by', { id: 'CAS-1', audit: { created: { by: { id: 'USR-1' } } } }],
    ['status,-status', { id: 'CAS-1' }],
    [
      '-parameters,-audit,-queue.id,-assignee.id',
      {
        id: 'CAS-1',
        status: 'Querying',
        queue: { name: 'Billing' },
        assignee: null,
      },
    ],
    ['+queue.name', RESOURCE],
    ['+queue.name,-parameters,-audit,-assignee,-queue', { id: 'CAS-1', status: 'Querying' }],
  ])('%s', (raw, expected) => {
    expect(applySelection(RESOURCE, parseSelect(raw, FIELDS))).toEqual(expected);
  });

  it('leaves the resource whole without a selection, and never changes it', () => {
    const copy = structuredClone(RESOURCE);
    expect(applySelection(RESOURCE, undefined)).toBe(RESOURCE);
    applySelection(RESOURCE, parseSelect('-queue.id,-parameters.value', FIELDS));
    expect(RESOURCE).toEqual(copy);
  });

  it.each<[string, string]>([
    ['colour', 'Invalid select: unknown field "colour"; fields here are id, status, queue'],
    ['queue.colour', 'Invalid select: unknown field "queue.colour"; fields here are id, name.'],
    ['status.x', 'Invalid select: unknown field "status.x".'],
    ['', 'Invalid select: unknown field ""'],
    ['id,,status', 'Invalid select: unknown field ""'],
    ['-id', 'Invalid select: id is always present.'],
    ['toString', 'unknown field "toString"'],
  ])('refuses %j with a 400', (raw, detail) => {
    const error = capture(() => parseSelect(raw, FIELDS));
    expect(error.status).toBe(400);
    expect(error.message).toContain(detail);
  });

  it('knows awaiting only for operations, and the audit trail record fields', () => {
    expect(() =>
      parseSelect('awaiting,audit.awaitingChanged', caseFields('operations')),
    ).not.toThrow();
    expect(capture(() => parseSelect('awaiting', caseFields('account'))).status).toBe(400);
    expect(capture(() => parseSelect('audit.awaitingChanged', caseFields('account'))).status).toBe(
      400,
    );
    expect(() =>
      parseSelect('actor.account.name,details.anything', AUDIT_RECORD_FIELDS),
    ).not.toThrow();
  });
});

function capture(run: () => unknown): ProblemError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('expected a problem');
}
