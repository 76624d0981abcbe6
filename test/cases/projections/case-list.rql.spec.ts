import { ProblemError } from '../../../src/common/problem';
import {
  compileCaseListQuery,
  type ListCaller,
} from '../../../src/cases/projections/rql/case-list.query';

const operations: ListCaller = { audience: 'operations' };
const client: ListCaller = { audience: 'account', accountId: 'ACC-2000-0000' };

describe('compiling the RQL of GET /cases', () => {
  describe('valid queries become parameterised SQL', () => {
    it.each<[string, string, unknown[]]>([
      ['', '1', []],
      ['status=Querying', 'status IS ?', ['Querying']],
      ['status=qUeRyInG', 'status IS ?', ['Querying']],
      ['eq(id,CAS-1234-5678-9012)', 'id IS ?', ['CAS-1234-5678-9012']],
      ['ne(assignee.id,USR-6375-2499)', 'assignee_id IS NOT ?', ['USR-6375-2499']],
      ['eq(assignee.id,null())', 'assignee_id IS NULL', []],
      ['ne(assignee.id,null())', 'assignee_id IS NOT NULL', []],
      ['gt(revision,2)', 'revision > ?', [2]],
      ['ge(revision,2)', 'revision >= ?', [2]],
      ['lt(audit.created.at,2026-11-24)', 'created_at < ?', ['2026-11-24T00:00:00.000Z']],
      [
        'le(audit.updated.at,2026-11-24T10:00:00%2B01:00)',
        'updated_at <= ?',
        ['2026-11-24T09:00:00.000Z'],
      ],
      ['in(status,(processing,Querying))', 'status IN (?, ?)', ['Processing', 'Querying']],
      ['in(status,Processing,Querying)', 'status IN (?, ?)', ['Processing', 'Querying']],
      ['out(queue.id,(HQU-1))', 'NOT queue_id IN (?)', ['HQU-1']],
      ['out(assignee.id,(USR-1))', '(assignee_id IS NULL OR NOT assignee_id IN (?))', ['USR-1']],
      ['in(assignee.id,(USR-1))', 'coalesce(assignee_id IN (?), 0)', ['USR-1']],
      ['ilike(queue.id,*12_3%25*)', "coalesce(queue_id LIKE ? ESCAPE '\\', 0)", ['%12\\_3\\%%']],
      ['eq(awaiting,true)', 'awaiting IS ?', [1]],
      [
        'and(eq(status,Processing),or(gt(revision,1),not(eq(queue.id,HQU-1))))',
        '(status IS ? AND (revision > ? OR (NOT queue_id IS ?)))',
        ['Processing', 1, 'HQU-1'],
      ],
      ['status=Processing&gt(revision,1)', 'status IS ? AND revision > ?', ['Processing', 1]],
      ['eq(reporter.id,USR%201%29)', 'reporter_id IS ?', ['USR 1)']],
    ])('%s', (rql, where, params) => {
      const query = compileCaseListQuery(rql, operations);
      expect(query.where).toBe(where);
      expect(query.params).toEqual(params);
    });
  });

  describe('a client or vendor', () => {
    it('is always limited to its own account, whatever the RQL says', () => {
      const query = compileCaseListQuery('eq(account.id,ACC-4000-0000)', client);
      expect(query.where).toBe('account_id IS ? AND account_id = ?');
      expect(query.params).toEqual(['ACC-4000-0000', 'ACC-2000-0000']);
    });

    it('sees audit.updated.at as it sees it, without events hidden from it', () => {
      const query = compileCaseListQuery(
        'gt(audit.updated.at,2026-01-01)&order=-audit.updated.at',
        client,
      );
      expect(query.where).toBe('reporter_updated_at > ? AND account_id = ?');
      expect(query.orderBy).toBe('reporter_updated_at DESC, id ASC');
    });

    it.each(['eq(awaiting,false)', 'awaiting=true', 'order=awaiting', 'not(in(awaiting,(true)))'])(
      'cannot filter or order on awaiting: %s',
      (rql) => {
        expect(problem(() => compileCaseListQuery(rql, client))).toEqual({
          status: 400,
          detail: 'Invalid RQL: "awaiting" is available to operations users only.',
        });
      },
    );
  });

  describe('ordering and paging', () => {
    it.each<[string, string]>([
      ['', 'created_at ASC, id ASC'],
      ['order=-revision,status', 'revision DESC, status ASC, id ASC'],
      ['order=+queue.id,-id', 'queue_id ASC, id DESC'],
    ])('order %s', (rql, orderBy) => {
      expect(compileCaseListQuery(rql, operations).orderBy).toBe(orderBy);
    });

    it.each<[string, { limit: number; offset: number }]>([
      ['', { limit: 10, offset: 0 }],
      ['limit=1000&offset=20', { limit: 1000, offset: 20 }],
    ])('page %s', (rql, page) => {
      expect(compileCaseListQuery(rql, operations).page).toEqual(page);
    });
  });

  describe('invalid queries are a 400 that says what is wrong', () => {
    it.each<[string, string]>([
      [
        'eq(colour,red)',
        'Invalid RQL: unknown field "colour"; fields are id, status, awaiting, revision, queue.id, assignee.id, account.id, reporter.id, audit.created.at, audit.updated.at.',
      ],
      ['colour=red', 'Invalid RQL: unknown field "colour"'],
      ['like(status,x)', 'Invalid RQL: unknown operator "like"'],
      [
        'eq(status,Open)',
        'Invalid RQL: status must be one of Processing, Querying, Completed (any letter case), got "Open".',
      ],
      ['eq(revision,two)', 'Invalid RQL: revision must be a whole number, got "two".'],
      ['eq(awaiting,yes)', 'Invalid RQL: awaiting must be true or false, got "yes".'],
      [
        'gt(audit.created.at,yesterday)',
        'Invalid RQL: audit.created.at must be an ISO 8601 date or time',
      ],
      [
        'gt(audit.created.at,2026-11-24T10:00:00)',
        'Invalid RQL: audit.created.at must be an ISO 8601 date or time',
      ],
      [
        'gt(status,Processing)',
        'Invalid RQL: gt does not apply to status; use eq, ne, in, out, ilike.',
      ],
      ['ilike(revision,1*)', 'Invalid RQL: ilike does not apply to revision'],
      ['eq(status,Processing', 'Invalid RQL: unexpected the end in "eq(status,Processing"'],
      ['eq(status,,x)', 'Invalid RQL: unexpected ","'],
      ['eq(status)', 'Invalid RQL: eq() takes a field and a value.'],
      ['eq(status,x))', 'Invalid RQL: unexpected ")"'],
      ['eq(status,(a,b))', 'Invalid RQL: eq() expects a value here.'],
      ['in(status)', 'Invalid RQL: in() needs at least one value.'],
      ['and()', 'Invalid RQL: and() needs at least one condition.'],
      ['and(status)', 'Invalid RQL: and() takes conditions such as eq(field,value).'],
      ['not(eq(id,a),eq(id,b))', 'Invalid RQL: not() takes exactly one condition.'],
      ['gt(revision,null())', 'Invalid RQL: null() can only be compared with eq or ne.'],
      ['status', 'Invalid RQL: expected an operator call'],
      ['eq(status,a=b)', 'Invalid RQL: "=" may only follow a top-level field name'],
      ['eq(id,%E0%A4%A)', 'Invalid RQL: malformed percent-encoding'],
      ['order=colour', 'Invalid RQL: unknown field "colour"'],
      ['order=', 'Invalid RQL: order needs field names, got "".'],
      ['order=id&order=status', 'Invalid RQL: order may be given only once.'],
      ['limit=0', 'limit must be a whole number from 1 to 1000, got "0".'],
      ['limit=1001', 'limit must be a whole number from 1 to 1000, got "1001".'],
      ['offset=-1', 'offset must be a whole number from 0 to'],
      [
        `${'not('.repeat(20)}eq(id,a)${')'.repeat(20)}`,
        'Invalid RQL: nested deeper than 16 levels.',
      ],
    ])('%s', (rql, detail) => {
      const answer = problem(() => compileCaseListQuery(rql, operations));
      expect(answer.status).toBe(400);
      expect(answer.detail).toContain(detail);
    });
  });
});

function problem(run: () => unknown): { status: number; detail: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) {
      return { status: (error as ProblemError & { status: number }).status, detail: error.message };
    }
    throw error;
  }
  throw new Error('expected a problem, got an answer');
}
