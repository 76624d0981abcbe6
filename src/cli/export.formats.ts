import { caseIdOf } from '../cases/application/case-event.codec';
import type { SerializedEvent } from '../event-store/event-store.port';
import type { CaseEventEnvelope } from '../feed/case-event-envelope';

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

/**
 * One event per line: the feed's envelope, with 64-bit numbers as decimal strings. The stored
 * `data` and `metadata` text is the writer's `JSON.stringify` output, which parsing and
 * stringifying again would reproduce character for character, so it is copied instead.
 */
export function jsonLine(stored: SerializedEvent): string {
  return (
    `{"eventId":${JSON.stringify(stored.id)},"type":${JSON.stringify(stored.type)},` +
    `"streamId":${JSON.stringify(stored.streamId)},"caseId":${JSON.stringify(caseIdOf(stored.streamId))},` +
    `"revision":"${stored.revision}","position":"${stored.position}",` +
    `"data":${stored.data},"metadata":${stored.metadata},` +
    `"created":"${stored.created.toISOString()}"}\n`
  );
}

export const CSV_HEADER = `${ENVELOPE_FIELDS.join(',')}\r\n`;

/**
 * RFC 4180: CRLF between records, and a field that holds a comma, a quote or a line break is
 * quoted with its quotes doubled. `data` and `metadata` are JSON text, so spreadsheet users
 * and `jq` alike can read them back.
 */
export function csvRecord(stored: SerializedEvent): string {
  return (
    `${csvField(stored.id)},${csvField(stored.type)},${csvField(stored.streamId)},` +
    `${csvField(caseIdOf(stored.streamId))},${stored.revision},${stored.position},` +
    `${csvField(stored.data)},${csvField(stored.metadata)},${stored.created.toISOString()}\r\n`
  );
}

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
