import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS_DIR, validateCaseEvent } from '../../../src/cases/contract/case-event.schemas';
import { isCertainlyValidMetadata } from '../../../src/cases/contract/event-metadata.precheck';
import { CASE_EVENT_SCHEMA_VERSION } from '../../../src/cases/domain/case.events';
import { seededRandom } from '../../support/seeded-random';

const ACTOR = {
  id: 'USR-1000-0001',
  name: 'Olivia Ops',
  accountId: 'ACC-1000-0000',
  accountName: 'Helpdesk Operations',
  accountType: 'operations',
};

/** What the schema says of metadata text: its problems, or why it is not JSON at all. */
function schemaProblems(text: string): string[] {
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch (error) {
    return [`not JSON: ${String(error)}`];
  }
  return validateCaseEvent('CaseResumed', {}, metadata);
}

describe('isCertainlyValidMetadata: the audit shortcut past the metadata schema', () => {
  it('given the rules it copies, then the schema still has exactly those rules', () => {
    // A change to the metadata schema must be a change to the shortcut too (or its removal).
    const schema = JSON.parse(
      readFileSync(join(SCHEMAS_DIR, 'event-metadata.schema.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(withoutDescriptions(schema)).toEqual(PINNED_SCHEMA_RULES);
  });

  describe('given metadata as the command pipeline writes it', () => {
    it.each([
      ['without an idempotency key', pipeline()],
      ['with an idempotency key', pipeline({ idempotencyKey: 'k-1', requestHash: 'h'.repeat(64) })],
      ['by a client user', pipeline({ actor: { ...ACTOR, accountType: 'client' } })],
      ['by a token', pipeline({ actor: { ...ACTOR, id: 'TKN-1000-0001-0002-0003' } })],
      ['with non-ASCII names', pipeline({ actor: { ...ACTOR, name: 'Zoë Ünal ✓' } })],
      ['on 29 February of a leap year', pipeline({ occurredAt: '2024-02-29T23:59:59.999Z' })],
      ['on 29 February 2000', pipeline({ occurredAt: '2000-02-29T00:00:00.000Z' })],
      ['with a 128-character correlation id', pipeline({ $correlationId: 'c'.repeat(128) })],
    ])('%s, then it is certainly valid, as the schema says', (_name, text) => {
      expect(isCertainlyValidMetadata(text)).toBe(true);
      expect(schemaProblems(text)).toEqual([]);
    });
  });

  describe('given metadata the schema refuses, then it is not certainly valid', () => {
    it.each([
      ['30 February', pipeline({ occurredAt: '2026-02-30T10:00:00.000Z' })],
      ['29 February of a common year', pipeline({ occurredAt: '2026-02-29T10:00:00.000Z' })],
      ['29 February 1900', pipeline({ occurredAt: '1900-02-29T10:00:00.000Z' })],
      ['31 April', pipeline({ occurredAt: '2026-04-31T10:00:00.000Z' })],
      ['month 13', pipeline({ occurredAt: '2026-13-01T10:00:00.000Z' })],
      ['hour 24', pipeline({ occurredAt: '2026-01-01T24:00:00.000Z' })],
      ['not a date', pipeline({ occurredAt: 'yesterday' })],
      ['a 129-character correlation id', pipeline({ $correlationId: 'c'.repeat(129) })],
      ['an empty causation id', pipeline({ $causationId: '' })],
      ['an empty actor name', pipeline({ actor: { ...ACTOR, name: '' } })],
      ['a malformed actor id', pipeline({ actor: { ...ACTOR, id: 'USR-12' } })],
      ['an unknown account type', pipeline({ actor: { ...ACTOR, accountType: 'partner' } })],
      ['an idempotency key without its hash', pipeline({ idempotencyKey: 'k-1' })],
      ['an empty idempotency key', pipeline({ idempotencyKey: '', requestHash: 'h' })],
      ['a member the schema does not have', pipeline({ comment: 'x' })],
      ['no actor', pipeline({ actor: undefined })],
      ['an older version', pipeline({ schemaVersion: CASE_EVENT_SCHEMA_VERSION - 1 })],
      ['text that is not JSON', pipeline().slice(0, -1)],
    ])('%s', (_name, text) => {
      expect(isCertainlyValidMetadata(text)).toBe(false);
      expect(schemaProblems(text)).not.toEqual([]);
    });
  });

  describe('given valid metadata outside the pipeline layout', () => {
    it.each([
      ['members in another order', reordered()],
      ['an escaped character in a name', pipeline({ actor: { ...ACTOR, name: 'Jo "JJ" Doe' } })],
      ['a time with an offset', pipeline({ occurredAt: '2026-01-01T10:00:00+01:00' })],
      ['a leap second', pipeline({ occurredAt: '2016-12-31T23:59:60.000Z' })],
      ['whitespace between members', JSON.stringify(JSON.parse(pipeline()), null, 1)],
      ['a request hash without a key', pipeline({ requestHash: 'h' })],
    ])('%s, then it leaves the verdict to the schema', (_name, text) => {
      expect(isCertainlyValidMetadata(text)).toBe(false);
      expect(schemaProblems(text)).toEqual([]);
    });
  });

  it('given thousands of damaged copies of valid metadata, when one is certainly valid, then the schema accepts it', () => {
    const random = seededRandom(14);
    const bases = [
      pipeline(),
      pipeline({ idempotencyKey: 'key', requestHash: 'hash' }),
      pipeline({ occurredAt: '2024-02-29T23:59:59.999Z' }),
    ];
    let certain = 0;
    let refused = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const text = damage(bases[i % bases.length]!, random);
      const problems = schemaProblems(text);
      if (problems.length > 0) refused += 1;
      if (!isCertainlyValidMetadata(text)) continue;
      certain += 1;
      expect({ text, problems }).toEqual({ text, problems: [] });
    }
    // Both kinds must be met, or this test proves nothing.
    expect(certain).toBeGreaterThan(1_000);
    expect(refused).toBeGreaterThan(5_000);
  });
});

/** The pipeline's metadata text (its member order), with `overrides` in place; undefined drops. */
function pipeline(overrides: Record<string, unknown> = {}): string {
  const base: Record<string, unknown> = {
    schemaVersion: CASE_EVENT_SCHEMA_VERSION,
    occurredAt: '2026-11-24T10:00:00.000Z',
    actor: ACTOR,
    $correlationId: 'corr-1',
    $causationId: '3c0f5a3e-8f6e-4d55-b8a4-63a5cf1b8a10',
  };
  return JSON.stringify({ ...base, ...overrides });
}

function reordered(): string {
  const { schemaVersion, ...rest } = JSON.parse(pipeline()) as Record<string, unknown>;
  return JSON.stringify({ ...rest, schemaVersion });
}

/** One to three edits: a character replaced, dropped or doubled, or a digit changed. */
function damage(text: string, random: () => number): string {
  const REPLACEMENTS = [
    '"',
    '\\',
    '\u0001',
    '{',
    '}',
    ',',
    ':',
    ' ',
    'x',
    'Z',
    'T',
    '-',
    '0',
    '9',
    '3',
    '1',
    '2',
    '5',
    '6',
    '',
  ];
  let damaged = text;
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e += 1) {
    const at = Math.floor(random() * damaged.length);
    const replacement = REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)]!;
    const keep = random() < 0.2 ? damaged[at]! : '';
    damaged = damaged.slice(0, at) + keep + replacement + damaged.slice(at + 1);
  }
  return damaged;
}

function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'description' && key !== 'title')
      .map(([key, member]) => [key, withoutDescriptions(member)]),
  );
}

/** The metadata schema as `isCertainlyValidMetadata` was written against it. */
const PINNED_SCHEMA_RULES = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://docs.case-service.dev/schemas/event-metadata.schema.json',
  type: 'object',
  required: ['schemaVersion', 'occurredAt', 'actor', '$correlationId', '$causationId'],
  additionalProperties: false,
  dependencies: { idempotencyKey: ['requestHash'] },
  properties: {
    schemaVersion: { const: CASE_EVENT_SCHEMA_VERSION },
    occurredAt: { type: 'string', format: 'date-time' },
    actor: {
      type: 'object',
      required: ['id', 'name', 'accountId', 'accountName', 'accountType'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', pattern: '^(USR|TKN)(-\\d{4}){2,4}$' },
        name: { type: 'string', minLength: 1 },
        accountId: { type: 'string', pattern: '^ACC(-\\d{4}){2,4}$' },
        accountName: { type: 'string', minLength: 1 },
        accountType: { enum: ['operations', 'client', 'vendor'] },
      },
    },
    $correlationId: { type: 'string', minLength: 1, maxLength: 128 },
    $causationId: { type: 'string', minLength: 1 },
    idempotencyKey: { type: 'string', minLength: 1 },
    requestHash: { type: 'string', minLength: 1 },
  },
};
