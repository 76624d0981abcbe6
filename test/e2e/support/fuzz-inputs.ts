import fc from 'fast-check';
import { FIELD_NAMES } from '../../../src/cases/rql/case-list.fields';
import { ASSIGNEE, OTHER_QUEUE } from '../../support/case.fixtures';

/** Generators of hostile input for the fuzz suite: shaped enough to reach deep, wrong enough to be refused. */

/** Strings with what breaks naive code: lone surrogates, NULs, RTL marks, huge, empty. */
export const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\ud800',
    'a\udc00b',
    '\u0000',
    '\u202e',
    '%',
    '%ZZ',
    '',
    ' ',
    'null',
    '__proto__',
  ),
  fc.nat({ max: 20_000 }).map((n) => 'x'.repeat(n)),
);

const nested = (depth: number, inner: string) => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

/** Any JSON value, strings odd, numbers extreme. */
const oddJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    oddString,
    fc.constantFrom(0, -1, 1e308, -0, 2 ** 53 + 1, true, false, null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(oddString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const commandFields = fc.record(
  {
    queue: fc.oneof(oddJson, fc.constant(OTHER_QUEUE), fc.record({ id: oddString, name: oddJson })),
    assignee: fc.oneof(
      oddJson,
      fc.constant(ASSIGNEE),
      fc.record({ id: oddJson, email: oddString }),
    ),
    awaiting: oddJson,
    queryPrompt: oddJson,
    parameters: fc.oneof(
      oddJson,
      fc.array(fc.record({ id: oddString, value: oddJson }), { maxLength: 3 }),
    ),
    account: oddJson,
    reporter: oddJson,
    chat: oddJson,
  },
  { requiredKeys: [] },
);

/** A request body as sent on the wire: JSON of odd shape, or text that is no JSON at all. */
export const oddBody: fc.Arbitrary<string> = fc.oneof(
  commandFields.map((body) => JSON.stringify(body)),
  oddJson.map((value) => JSON.stringify(value) ?? 'null'),
  fc.nat({ max: 5_000 }).map((depth) => `{"queue":${nested(depth, '1')}}`),
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    '{',
    '{"a":1,}',
    '{"a":1}{"b":2}',
    '\ufeff{}',
    '{"assignee":{"email":"\\ud800"}}',
  ),
);

export const commandRoute = fc.constantFrom(
  ['PUT', ''],
  ['POST', '/transfer'],
  ['POST', '/assign'],
  ['POST', '/query'],
  ['POST', '/process'],
  ['POST', '/complete'],
) as fc.Arbitrary<[string, string]>;

/** A header value a client can send (visible ASCII), of any shape. */
export const headerValue = fc.oneof(
  fc
    .string({ unit: 'binary-ascii', maxLength: 80 })
    .map((s) => s.replace(/[^\x20-\x7e]/g, '').trim()),
  fc.constantFrom(
    '*',
    'W/"1"',
    '"1", W/"2"',
    'W/"99999999999999999999"',
    '-1',
    '9223372036854775808',
  ),
  fc.nat({ max: 9_000 }).map((n) => 'a'.repeat(n)),
);

export const headerName = fc.constantFrom(
  'If-Match',
  'Idempotency-Key',
  'Last-Event-ID',
  'Authorization',
  'Content-Type',
  'X-Correlation-Id',
  'Accept',
);

/** A path segment where an id goes, percent-encoded or deliberately not. */
export const idSegment = fc.oneof(
  oddString.map((s) => encodeURIComponent(s.replace(/\p{Cs}/gu, ''))),
  fc.constantFrom('%ZZ', '%', '%E0%A4%A', '..', '%2F', 'CAS-0000-0000-0000', '%00'),
  fc.integer({ min: 90, max: 400 }).map((n) => 'C'.repeat(n)),
);

const RQL_TOKENS = [
  ...FIELD_NAMES,
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'in',
  'out',
  'like',
  'ilike',
  'and',
  'or',
  'not',
  'sort',
  'select',
  'limit',
  'offset',
  'null()',
  'empty()',
  '(',
  ')',
  ',',
  '=',
  '&',
  '|',
  '-',
  '+',
  '*',
  '%',
  '%2C',
  '%28',
  '"',
  "'",
  'a',
  '1',
  '2026-01-01',
  'CAS-0000-0000-0000',
];

/** A query string made of RQL's own words and punctuation in any order, or raw text. */
export const rqlQuery = fc.oneof(
  fc.array(fc.constantFrom(...RQL_TOKENS), { maxLength: 30 }).map((tokens) => tokens.join('')),
  fc.string({ maxLength: 60 }).map((s) => encodeURI(s.replace(/\p{Cs}/gu, ''))),
);

/** A resume position: numbers in and past the stores' range, and things that are not numbers. */
export const feedPosition = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String),
  fc.constantFrom('9223372036854775807', '9223372036854775808', '18446744073709551616', '-1', '01'),
  headerValue,
);
