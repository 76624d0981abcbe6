import { CASE_EVENT_SCHEMA_VERSION } from '../domain/case.events';

/**
 * A shortcut past `JSON.parse` and the metadata schema for the metadata text the command
 * pipeline writes, which is nearly all of it: `verify` checks a million of them, and the schema
 * (its `date-time` format above all) costs more than reading the row. It answers only "certainly
 * valid": the text must be exactly the pipeline's layout (members in its order, strings without
 * escapes), with every value inside a subset of what its rule in
 * `schemas/event-metadata.schema.json` accepts. Anything else, valid or not, answers false and
 * goes through the schema as before, so what is reported (and how) never changes.
 * `event-metadata.precheck.spec.ts` pins the schema rules copied here and holds the shortcut to
 * the schema on valid and damaged metadata alike.
 */
export function isCertainlyValidMetadata(text: string): boolean {
  return LAYOUT.test(text) && isRealDay(text, TIMESTAMP_AT);
}

/** A JSON string's content with nothing to unescape: no quote, backslash or control character. */
const CHARS = '[^"\\\\\\u0000-\\u001f]';

const PREFIX = `{"schemaVersion":${CASE_EVENT_SCHEMA_VERSION},"occurredAt":"`;
const TIMESTAMP_AT = PREFIX.length;

/**
 * `occurredAt` as `toISOString` writes it (`YYYY-MM-DDTHH:MM:SS.sssZ`), month, hour, minute and
 * second in range (the day's upper bound is `isRealDay`'s): a subset of RFC 3339 `date-time` as
 * ajv-formats checks it, which also takes offsets, other fractions and leap seconds.
 */
const TIMESTAMP =
  '\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d\\.\\d{3}Z';

/** The schema's `actor` rules: its two id patterns, non-empty names, the account type enum. */
const ACTOR =
  `\\{"id":"(?:USR|TKN)(?:-\\d{4}){2,4}","name":"${CHARS}+",` +
  `"accountId":"ACC(?:-\\d{4}){2,4}","accountName":"${CHARS}+",` +
  `"accountType":"(?:operations|client|vendor)"\\}`;

const LAYOUT = new RegExp(
  `^${escape(PREFIX)}${TIMESTAMP}","actor":${ACTOR},` +
    // 1 to 128 code units: never more code points than `maxLength` counts.
    `"\\$correlationId":"${CHARS}{1,128}","\\$causationId":"${CHARS}+"` +
    `(?:,"idempotencyKey":"${CHARS}+","requestHash":"${CHARS}+")?\\}$`,
);

function escape(literal: string): string {
  return literal.replace(/[{}$]/g, (c) => `\\${c}`);
}

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether the `YYYY-MM-DD` at `at` (digits already checked) is a day of its month. */
export function isRealDay(text: string, at: number): boolean {
  const digit = (i: number) => text.charCodeAt(at + i) - 48;
  const day = digit(8) * 10 + digit(9);
  if (day <= 28) return true;
  const month = digit(5) * 10 + digit(6);
  if (month !== 2) return day <= DAYS[month]!;
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (leap ? 29 : 28);
}
