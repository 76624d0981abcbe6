import { CASE_STREAM_PREFIX, caseIdOf } from '../cases/application/case-event.codec';
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
  const streamId = jsonString(stored.streamId);
  return (
    `{"eventId":${jsonString(stored.id)},"type":${jsonString(stored.type)},` +
    `"streamId":${streamId},"caseId":${caseIdJson(stored.streamId, streamId)},` +
    `"revision":"${stored.revision}","position":"${stored.position}",` +
    `"data":${stored.data},"metadata":${stored.metadata},` +
    `"created":"${isoTimestamp(stored.created)}"}\n`
  );
}

/**
 * Characters `JSON.stringify` writes as they are: none of quote, backslash, control characters
 * or surrogates (it escapes lone ones). Ids and types are such text, and testing for it costs
 * half of what `JSON.stringify` does on a short string; anything else goes to it.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it must find
const VERBATIM = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** `JSON.stringify(text)`, byte for byte. */
export function jsonString(text: string): string {
  return VERBATIM.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** `jsonString(caseIdOf(streamId))` from the stream id already written as JSON. */
function caseIdJson(streamId: string, streamIdJson: string): string {
  // The prefix needs no escaping, so the case id's JSON is the rest of the stream id's.
  return streamId.startsWith(CASE_STREAM_PREFIX)
    ? `"${streamIdJson.slice(1 + CASE_STREAM_PREFIX.length)}`
    : jsonString(caseIdOf(streamId));
}

/**
 * `date.toISOString()`, byte for byte, with the text up to the second kept from the previous
 * call: a busy history stores many events per second, and `toISOString` costs about as much as
 * the rest of a line. Only years 0000 to 9999 take the shortcut (others are written `±YYYYYY`).
 */
export function isoTimestamp(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= 0 && ms < END_OF_YEAR_9999)) return date.toISOString();
  const millis = ms % 1000;
  const second = ms - millis;
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = date.toISOString().slice(0, 20);
  }
  return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

const END_OF_YEAR_9999 = Date.UTC(10000, 0, 1);
let cachedSecond = -1;
/** `YYYY-MM-DDTHH:MM:SS.` of `cachedSecond`. */
let cachedPrefix = '';

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
    `${csvField(stored.data)},${csvField(stored.metadata)},${isoTimestamp(stored.created)}\r\n`
  );
}

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
