import { withoutUndefined } from '../common/without-undefined';
import { CASE_EVENT_TYPES, type CaseEventType } from '../cases/domain/case.events';
import { single } from '../common/query-params';
import { BadRequest, ValidationFailed } from '../common/http-errors';
import { MAX_POSITION } from '../event-store/event-store.port';

/** Where a feed connection starts and which events it wants; decided before anything is sent. */
export interface FeedRequest {
  /** Exclusive resume point; undefined starts at the first event. */
  readonly after?: bigint;
  /** Only these event types; undefined means every type. */
  readonly types?: ReadonlySet<CaseEventType>;
}

export interface FeedRequestInput {
  readonly after?: unknown;
  readonly types?: unknown;
  readonly lastEventId?: string | string[];
}

// At most 19 digits: 2^63 - 1 has 19; anything longer is not a position in any store.
const POSITION = /^(0|[1-9]\d{0,18})$/;

/**
 * `Last-Event-ID` wins over `?after=` when both are given: an EventSource reconnects with the
 * URL it was opened with (so an old `after`) plus the id of the last event it received, which
 * is the later and the true resume point. Both must still be well-formed.
 */
export function parseFeedRequest(input: FeedRequestInput): FeedRequest {
  const fromHeader = parsePosition('Last-Event-ID', lastEventIdOf(input.lastEventId));
  const fromQuery = parsePosition('after', single('after', input.after));
  return withoutUndefined({
    after: fromHeader ?? fromQuery,
    types: parseTypes(single('types', input.types)),
  });
}

function lastEventIdOf(header: string | string[] | undefined): string | undefined {
  if (Array.isArray(header)) {
    throw new BadRequest('The Last-Event-ID header may be given only once.');
  }
  // An EventSource that has seen no id sends none; an empty value means the same.
  return header === undefined || header.trim() === '' ? undefined : header.trim();
}

function parsePosition(name: string, raw: string | undefined): bigint | undefined {
  if (raw === undefined) return undefined;
  const value = POSITION.test(raw) ? BigInt(raw) : undefined;
  if (value === undefined || value > MAX_POSITION) {
    throw new ValidationFailed(
      `${name} must be an event position (a decimal number), got "${raw}".`,
      {
        [name]: [`must be a decimal integer from 0 to ${MAX_POSITION} (2^63 - 1)`],
      },
    );
  }
  return value;
}

function parseTypes(raw: string | undefined): ReadonlySet<CaseEventType> | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !CASE_EVENT_TYPES.includes(name as CaseEventType));
  if (unknown.length > 0) {
    const shown = unknown.map((name) => (name === '' ? '(empty)' : `"${name}"`)).join(', ');
    throw new ValidationFailed(`types names unknown event types: ${shown}.`, {
      types: [`must be a comma-separated list of ${CASE_EVENT_TYPES.join(', ')}`],
    });
  }
  return new Set(names as CaseEventType[]);
}
