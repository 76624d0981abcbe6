import { ProblemError } from '../../../src/common/problem';
import { compileCaseListQuery, type ListCaller } from '../../../src/cases/rql/case-list.query';

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
      ['eq(queue.name,Support)', 'queue_name IS ?', ['Support']],
      ['ne(account.name,Acme)', 'account_name IS NOT ?', ['Acme']],
      ['eq(awaiting,true)', 'awaiting IS ?', [1]],
      [
        'and(eq(status,Processing),or(gt(revision,1),not(eq(queue.id,HQU-1))))',
        '(status IS ? AND (revision > ? OR (NOT queue_id IS ?)))',
        ['Processing', 1, 'HQU-1'],
      ],
      ['status=Processing&gt(revision,1)', 'status IS ? AND revision > ?', ['Processing', 1]],
      ['eq(reporter.id,USR%201)', 'reporter_id IS ?', ['USR 1']],
    ])('%s', (rql, where, params) => {
      const query = compileCaseListQuery(rql, operations);
      expect(query.where).toBe(where);
      expect(query.params).toEqual(params);
    });
  });

  describe("the platform client's forms: quoted, unquoted and percent-encoded alike", () => {
    it.each<[string, string[]]>([
      [
        'id',
        [
          'eq(id,CAS-1234-5678-9012)',
          "eq(id,'CAS-1234-5678-9012')",
          'eq(id,"CAS-1234-5678-9012")',
          "id='CAS-1234-5678-9012'",
          'id=CAS-1234-5678-9012',
          'eq%28id%2CCAS-1234-5678-9012%29',
          'eq(id,%27CAS-1234-5678-9012%27)',
          'id=%22CAS-1234-5678-9012%22',
        ],
      ],
      [
        'status',
        [
          'eq(status,Querying)',
          "eq(status,'Querying')",
          'eq(status,"querying")',
          'eq%28status%2C%27Querying%27%29',
          // as a generic form serializer writes a bare term: a key with an empty value
          'eq%28status%2C%27Querying%27%29=',
        ],
      ],
      [
        'time',
        [
          'ge(audit.created.at,2026-11-24T10:00:00Z)',
          "ge(audit.created.at,'2026-11-24T10:00:00+00:00')",
          'ge(audit.created.at,%272026-11-24T10%3A00%3A00%2B00%3A00%27)',
          "ge(audit.created.at,'2026-11-24T10:00:00')",
          "ge(audit.created.at,'2026-11-24T10:00:00.000000')",
        ],
      ],
      [
        'ilike',
        [
          'ilike(queue.name,*Onboarding*)',
          "ilike(queue.name,'*Onboarding*')",
          'ilike(queue.name,"*Onboarding*")',
          'ilike%28queue.name%2C%27%2AOnboarding%2A%27%29',
        ],
      ],
      [
        'in',
        [
          'in(status,(Processing,Querying))',
          "in(status,('Processing','Querying'))",
          'in(status,("Processing",Querying))',
        ],
      ],
      ['boolean', ['eq(awaiting,true)', "eq(awaiting,'true')", 'awaiting=true']],
      ['revision', ['gt(revision,2)', "gt(revision,'2')"]],
      [
        'null',
        [
          'eq(assignee.id,null())',
          'assignee.id=null()',
          'eq(assignee.id,null%28%29)',
          'eq(assignee,null())',
        ],
      ],
    ])('%s', (_, forms) => {
      const [first, ...others] = forms.map((rql) => compileCaseListQuery(rql, operations));
      for (const other of others) {
        expect({ where: other.where, params: other.params }).toEqual({
          where: first!.where,
          params: first!.params,
        });
      }
    });

    it.each<[string, string, unknown[]]>([
      ["eq(queue.name,'a, b (c)')", 'queue_name IS ?', ['a, b (c)']],
      ["eq(queue.name,'a%2C b %28c%29 %26 d')", 'queue_name IS ?', ['a, b (c) & d']],
      ['eq(queue.name,"it\'s")', 'queue_name IS ?', ["it's"]],
      ['eq(queue.name,\'say "hi"\')', 'queue_name IS ?', ['say "hi"']],
      ["eq(queue.name,'it''s')", 'queue_name IS ?', ["it's"]],
      ["eq(queue.name,'null()')", 'queue_name IS ?', ['null()']],
      ["eq(reporter.name,'')", 'reporter_name IS ?', ['']],
      ['eq(reporter.name,empty())', 'reporter_name IS ?', ['']],
      ['ne(reporter.name,empty())', 'reporter_name IS NOT ?', ['']],
      [
        'ilike(assignee.name,"The\\**")',
        "coalesce(assignee_name LIKE ? ESCAPE '\\', 0)",
        ['The*%'],
      ],
      ['like(account.name,Acme*)', 'coalesce(account_name GLOB ?, 0)', ['Acme*']],
      ["like(account.name,'a?[b]\\*')", 'coalesce(account_name GLOB ?, 0)', ['a[?][[]b][*]']],
      ['eq(queue.name,a+b)', 'queue_name IS ?', ['a+b']],
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
          detail: expect.stringMatching(
            /^Invalid RQL at character \d+: "awaiting" is available to operations users only\.$/,
          ) as string,
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

  describe('invalid queries are a 400 that says where and what is wrong', () => {
    it.each<[string, string]>([
      [
        'eq(colour,red)',
        'Invalid RQL at character 4: unknown field "colour"; fields are id, status, awaiting, revision, queue.id, assignee.id, assignee, account.id, reporter.id, queue.name, account.name, reporter.name, assignee.name, audit.created.at, audit.updated.at.',
      ],
      ['colour=red', 'Invalid RQL at character 1: unknown field "colour"'],
      ['regex(status,x)', 'Invalid RQL at character 1: unknown operator "regex"'],
      ['any(parameters,eq(id,x))', 'any() is not supported: a case has no collection'],
      ['render()', 'render() is not supported'],
      [
        'eq(status,Open)',
        'Invalid RQL at character 11: status must be one of Processing, Querying, Completed (any letter case), got "Open".',
      ],
      ["eq(status,'Open')", 'status must be one of Processing, Querying, Completed'],
      ['eq(revision,two)', 'revision must be a whole number, got "two".'],
      ["eq(revision,'2.5')", 'revision must be a whole number, got "2.5".'],
      ['eq(awaiting,yes)', 'awaiting must be true or false, got "yes".'],
      ['gt(audit.created.at,yesterday)', 'audit.created.at must be an ISO 8601 date or time'],
      ['gt(audit.created.at,2026-13-45)', 'audit.created.at must be an ISO 8601 date or time'],
      ['gt(status,Processing)', 'gt does not apply to status; use eq, ne, in, out, like, ilike.'],
      ['ilike(revision,1*)', 'ilike does not apply to revision'],
      ['eq(status,Processing', 'Invalid RQL at character 21: expected "," or ")", got the end.'],
      ['eq(status,,x)', 'Invalid RQL at character 11: expected a value or an operator, got ",".'],
      ['eq(status)', 'Invalid RQL at character 1: eq() takes a field and a value.'],
      ['eq(status,x))', 'Invalid RQL at character 13: expected the end of the term, got ")".'],
      ['eq(status,(a,b))', 'eq() expects a value here.'],
      ["eq(id,'CAS-1)", "Invalid RQL at character 7: the value quoted here has no closing '."],
      ["eq(id,'a'b)", 'Invalid RQL at character 10: expected "," or ")" after a quoted value.'],
      ["eq(id,a'b')", 'Invalid RQL at character 8: a quote may only start a value.'],
      ['in(status)', 'in() needs at least one value.'],
      ['and()', 'and() needs at least one condition.'],
      ['and(status)', 'and() takes conditions such as eq(field,value).'],
      ['not(eq(id,a),eq(id,b))', 'not() takes exactly one condition.'],
      ['gt(revision,null())', 'null() can only be compared with eq or ne.'],
      ['eq(revision,empty())', 'empty() applies to text fields only, not to revision.'],
      [
        "eq(assignee,'USR-1')",
        'assignee must be null() (compare assignee.id for a value), got "USR-1".',
      ],
      ['gt(assignee,null())', 'gt does not apply to assignee; use eq, ne.'],
      ['eq(id,now())', 'expected a value, null() or empty(), got now(…).'],
      ['status', 'Invalid RQL at character 1: expected an operator such as eq(field,value)'],
      ["'eq(id,a)'", 'expected an operator such as eq(field,value)'],
      ['eq(id,%E0%A4%A)', 'Invalid RQL at character 1: malformed percent-encoding'],
      // A raw & always separates terms, even inside quotes: a value's own & travels as %26.
      [
        "eq(queue.name,'a&b')",
        "Invalid RQL at character 15: the value quoted here has no closing '.",
      ],
      ['id=a&eq(id,%E0%A4%A)', 'Invalid RQL at character 6: malformed percent-encoding'],
      ['order=colour', 'unknown field "colour"'],
      ['order=', 'order needs field names, got "".'],
      ['order=id&order=status', 'Invalid RQL at character 10: order may be given only once.'],
      ['select=id&select=status', 'select may be given only once.'],
      ['select=colour', 'Invalid select: unknown field "colour"'],
      ['select=-id', 'Invalid select: id is always present.'],
      [
        'id=a&limit=0',
        'Invalid RQL at character 6: limit must be a whole number from 1 to 1000, got "0".',
      ],
      ['limit=1001', 'limit must be a whole number from 1 to 1000, got "1001".'],
      ['offset=-1', 'offset must be a whole number from 0 to'],
      [
        `${'not('.repeat(20)}eq(id,a)${')'.repeat(20)}`,
        'Invalid RQL at character 69: nested deeper than the limit of 16 levels.',
      ],
    ])('%s', (rql, detail) => {
      const answer = problem(() => compileCaseListQuery(rql, operations));
      expect(answer.status).toBe(400);
      expect(answer.detail).toContain(detail);
    });
  });

  describe('size limits, checked before any SQL is built', () => {
    it.each<[string, string]>([
      [Array(1000).fill('id=a').join('&'), 'more than 100 conditions; the limit is 100.'],
      [`or(${Array(1000).fill('eq(id,a)').join(',')})`, 'more than 100 conditions'],
      [`in(id,(${Array(1001).fill('a').join(',')}))`, 'more than 1000 values'],
      [`eq(id,${'a'.repeat(513)})`, 'a value longer than the limit of 512 characters.'],
      [`eq(id,'${'a'.repeat(513)}')`, 'a value longer than the limit of 512 characters.'],
    ])('refuses %#', (rql, detail) => {
      const answer = problem(() => compileCaseListQuery(rql, operations));
      expect(answer.status).toBe(400);
      expect(answer.detail).toContain(detail);
    });

    it('takes a query up to the limits', () => {
      const query = compileCaseListQuery(Array(100).fill('id=a').join('&'), operations);
      expect(query.params).toHaveLength(100);
      const list = compileCaseListQuery(`in(id,(${Array(998).fill('a').join(',')}))`, operations);
      expect(list.params).toHaveLength(998);
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
