import { CASE_STREAM_PREFIX } from '../cases/application/case-stream';
import type { CaseEventEnvelope } from '../feed/case-event-envelope';
import { STORED, type StoredEventRow } from './stored-rows';

/** The envelope's fields in the order both formats write them. */
export const ENVELOPE_FIELDS = [
  'eventId',
  'type',
  'streamId',
  'caseId',
  'revision',
  'position',
  'data',
  'metadata',
  'created',
] as const satisfies readonly (keyof CaseEventEnvelope)[];

/** One event per line: the feed's envelope, with 64-bit numbers as decimal strings. */
export function jsonLine(envelope: CaseEventEnvelope): string {
  return `${JSON.stringify(envelope)}\n`;
}

export const CSV_HEADER = `${ENVELOPE_FIELDS.join(',')}\r\n`;

/**
 * RFC 4180: CRLF between records, and a field that holds a comma, a quote or a line break is
 * quoted with its quotes doubled. `data` and `metadata` are JSON text, so spreadsheet users
 * and `jq` alike can read them back.
 */
export function csvRecord(envelope: CaseEventEnvelope): string {
  return `${[
    csvField(envelope.eventId),
    csvField(envelope.type),
    csvField(envelope.streamId),
    csvField(envelope.caseId),
    envelope.revision,
    envelope.position,
    csvField(JSON.stringify(envelope.data ?? null)),
    csvField(JSON.stringify(envelope.metadata ?? null)),
    envelope.created,
  ].join(',')}\r\n`;
}

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * `jsonLine(toEnvelope(event))` for a stored row whose `data` and `metadata` text is to be
 * written as it is: the stored text is the writer's `JSON.stringify` output, which parsing and
 * stringifying again would reproduce character for character, so it is copied instead.
 */
export function jsonLineOfStored(row: StoredEventRow): string {
  const streamId = row[STORED.streamId];
  return (
    `{"eventId":${JSON.stringify(row[STORED.eventId])},"type":${JSON.stringify(row[STORED.type])},` +
    `"streamId":${JSON.stringify(streamId)},"caseId":${JSON.stringify(streamId.slice(CASE_STREAM_PREFIX.length))},` +
    `"revision":"${decimal(row[STORED.revision])}","position":"${decimal(row[STORED.position])}",` +
    `"data":${row[STORED.data]},"metadata":${row[STORED.metadata]},` +
    `"created":"${new Date(row[STORED.created]).toISOString()}"}\n`
  );
}

/** `csvRecord(toEnvelope(event))` for a stored row, its JSON text copied as `jsonLineOfStored` does. */
export function csvRecordOfStored(row: StoredEventRow): string {
  const streamId = row[STORED.streamId];
  return (
    `${csvField(row[STORED.eventId])},${csvField(row[STORED.type])},${csvField(streamId)},` +
    `${csvField(streamId.slice(CASE_STREAM_PREFIX.length))},` +
    `${decimal(row[STORED.revision])},${decimal(row[STORED.position])},` +
    `${csvField(row[STORED.data])},${csvField(row[STORED.metadata])},` +
    `${new Date(row[STORED.created]).toISOString()}\r\n`
  );
}

function decimal(value: number): string {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${value} is beyond exact double precision.`);
  return String(value);
}
