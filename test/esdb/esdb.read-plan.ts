/**
 * Decodes a `Streams.Read` request into what the test server must answer: which records, in
 * which order, filtered how, and whether the call then stays open as a subscription.
 * Positions and revisions follow the server's rules: reads are inclusive of their starting
 * point, subscriptions start after it.
 */
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { InMemoryEventLog, StoredRecord } from './esdb.in-memory-log';
import { streamName } from './esdb.wire-messages';

type From = 'start' | 'end' | bigint;

export interface ReadPlan {
  readonly streamId: string | undefined; // undefined: $all
  readonly from: From;
  readonly backwards: boolean;
  readonly subscription: boolean;
  /** Deliver what `$>` link events point at, with the link alongside. */
  readonly resolveLinks: boolean;
  readonly count: bigint;
  readonly matches: (record: StoredRecord) => boolean;
  /** Records scanned between two checkpoints of a filtered $all subscription; 0: none. */
  readonly checkpointInterval: number;
}

/** The server's default filter search window when the client asks for `count`. */
const DEFAULT_MAX_SEARCH_WINDOW = 32;

export class UnsupportedReadOption extends Error {}

export function planRead(request: ReadReq): ReadPlan {
  const options = request.getOptions();
  if (!options) throw new UnsupportedReadOption('Read request without options');
  if (options.getUuidOption()?.hasStructured()) {
    throw new UnsupportedReadOption('The test server answers string UUIDs only');
  }
  const filterOptions = options.hasFilter() ? options.getFilter() : undefined;
  const base = {
    backwards: options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS,
    subscription: options.hasSubscription(),
    resolveLinks: options.getResolveLinks(),
    count: options.hasCount() ? BigInt(options.getCount()) : -1n,
    matches: filterOptions ? recordFilter(filterOptions) : () => true,
    checkpointInterval: filterOptions ? checkpointInterval(filterOptions) : 0,
  };
  const stream = options.getStream();
  if (stream) {
    const from: From = stream.hasRevision()
      ? BigInt(stream.getRevision())
      : stream.hasEnd()
        ? 'end'
        : 'start';
    return { ...base, streamId: streamName(stream.getStreamIdentifier()), from };
  }
  const all = options.getAll();
  if (!all) throw new UnsupportedReadOption('Read request names neither a stream nor $all');
  const position = all.getPosition();
  const from: From = position
    ? BigInt(position.getCommitPosition())
    : all.hasEnd()
      ? 'end'
      : 'start';
  return { ...base, streamId: undefined, from };
}

/** The records a read (or a subscription's catch-up) answers with, in answer order. */
export function selectRecords(plan: ReadPlan, log: InMemoryEventLog): readonly StoredRecord[] {
  const source = plan.streamId === undefined ? log.all : (log.visible(plan.streamId) ?? []);
  const key = (record: StoredRecord) =>
    plan.streamId === undefined ? record.position : record.revision;
  const { from } = plan;
  let selected: StoredRecord[];
  if (plan.subscription) {
    selected =
      from === 'end' ? [] : from === 'start' ? [...source] : source.filter((r) => key(r) > from);
  } else if (plan.backwards) {
    selected = source.filter((r) => readsBackwardsTo(plan, key(r))).reverse();
  } else {
    selected =
      from === 'end' ? [] : from === 'start' ? [...source] : source.filter((r) => key(r) >= from);
  }
  if (plan.subscription) return selected;
  const matching = selected.filter(plan.matches);
  return plan.count < 0n ? matching : matching.slice(0, Number(plan.count));
}

/** Backwards, a stream revision is inclusive while an $all position marks the end of a record. */
function readsBackwardsTo(plan: ReadPlan, key: bigint): boolean {
  if (plan.from === 'end') return true;
  if (plan.from === 'start') return plan.streamId !== undefined && key === 0n;
  return plan.streamId === undefined ? key < plan.from : key <= plan.from;
}

function recordFilter(options: ReadReq.Options.FilterOptions): (record: StoredRecord) => boolean {
  const onStream = options.hasStreamIdentifier();
  const expression = onStream ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) return () => true;
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  return (record) => {
    const subject = onStream ? record.streamId : record.type;
    if (prefixes.length > 0 && !prefixes.some((prefix) => subject.startsWith(prefix))) return false;
    return regex ? regex.test(subject) : true;
  };
}

function checkpointInterval(options: ReadReq.Options.FilterOptions): number {
  const window = options.hasMax() ? options.getMax() : DEFAULT_MAX_SEARCH_WINDOW;
  return window * Math.max(1, options.getCheckpointintervalmultiplier());
}
