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
