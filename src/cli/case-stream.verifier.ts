import { caseIdOf, UnreadableCaseEvent, upcastStored } from '../cases/application/case-event.codec';
import { validateCaseEvent, validateCaseEventData } from '../cases/contract/case-event.schemas';
import { isCertainlyValidMetadata } from '../cases/contract/event-metadata.precheck';
import {
  checkCaseEvent,
  initialHistoryCheckState,
  type CaseHistoryCheckState,
} from '../cases/domain/case.history-check';
import {
  CASE_EVENT_SCHEMA_VERSION,
  CASE_EVENT_TYPES,
  type CaseEvent,
} from '../cases/domain/case.events';
import type { OpenedSerializedEvent } from '../cases/application/case-event.privacy';

export interface Anomaly {
  readonly streamId: string;
  readonly caseId: string;
  /** The case revision the event would be (1-based, as `history` and the API count). */
  readonly revision: number;
  /** The same event's 0-based revision in the store. */
  readonly storeRevision: string;
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly problem: string;
}

/** All a stream leaves behind between two of its events: never the events themselves. */
interface StreamProgress {
  nextRevision: number;
  check: CaseHistoryCheckState;
}

const KNOWN_TYPES = new Set<string>(CASE_EVENT_TYPES);
const NONE: readonly Anomaly[] = Object.freeze([]);
/** Stands for metadata whose text proved it keeps the contract: not parsed, not checked again. */
const VALID_METADATA = Symbol('valid metadata');

/**
 * Checks case events one at a time, in any interleaving of streams as long as each stream's
 * events come in revision order (global order does that). Per stream it keeps only the next
 * expected revision and a compact legality state, so memory grows with the number of cases,
 * not of events. Revisions are counted as numbers: exact below 2^53 events in one stream.
 */
export class CaseStreamVerifier {
  private readonly streams = new Map<string, StreamProgress>();
  private eventCount = 0;
  private anomalyCount = 0;

  get events(): number {
    return this.eventCount;
  }

  get streamCount(): number {
    return this.streams.size;
  }

  get anomalies(): number {
    return this.anomalyCount;
  }

  /**
   * Every anomaly this event shows, in the order a reader would want to fix them. `data` and
   * `metadata` are parsed from the stored text and upcast only when not current; metadata in
   * the pipeline's own layout that certainly keeps its schema is not parsed at all.
   */
  inspect(stored: OpenedSerializedEvent): readonly Anomaly[] {
    const { streamId, type } = stored;
    let found = this.check(streamId, Number(stored.revision), type, () => {
      const data = JSON.parse(stored.data) as unknown;
      if (isCertainlyValidMetadata(stored.metadata)) return { data, metadata: VALID_METADATA };
      const metadata = JSON.parse(stored.metadata) as unknown;
      const version = (metadata as { schemaVersion?: unknown } | null)?.schemaVersion;
      if (version === CASE_EVENT_SCHEMA_VERSION) return { data, metadata };
      return upcastStored({ ...stored, data, metadata });
    });
    // An erased field is not damage (its key is gone on purpose); one that does not open is.
    if (stored.unreadableFields) {
      const problem = `personal data does not decrypt at ${stored.unreadableFields.join(', ')} (damaged envelope or unknown key)`;
      found = [...(found ?? []), problem];
      this.anomalyCount += 1;
    }
    return found
      ? found.map((problem) =>
          anomalyOf(streamId, stored.revision, stored.position, stored.id, type, problem),
        )
      : NONE;
  }

  /** The problems found, or `undefined` when there are none (the usual case: no allocation). */
  private check(
    streamId: string,
    revision: number,
    type: string,
    read: () => { data: unknown; metadata: unknown },
  ): string[] | undefined {
    this.eventCount += 1;
    let found: string[] | undefined;
    let progress = this.streams.get(streamId);
    if (!progress) {
      progress = { nextRevision: 0, check: initialHistoryCheckState };
      this.streams.set(streamId, progress);
    }
    if (revision !== progress.nextRevision) {
      (found ??= []).push(revisionAnomaly(progress.nextRevision, revision));
    }
    if (revision >= progress.nextRevision) progress.nextRevision = revision + 1;

    let event: CaseEvent | undefined;
    if (!KNOWN_TYPES.has(type)) {
      (found ??= []).push(`unknown event type "${type}"`);
    } else {
      let current: { data: unknown; metadata: unknown } | undefined;
      try {
        current = read();
      } catch (error) {
        // An upcaster meeting damaged old data fails too: that is this event's anomaly, not a bug.
        const reason = error instanceof UnreadableCaseEvent ? error.message : String(error);
        (found ??= []).push(`unreadable: ${reason}`);
      }
      if (current) {
        const problems =
          current.metadata === VALID_METADATA
            ? validateCaseEventData(type, current.data)
            : validateCaseEvent(type, current.data, current.metadata);
        if (problems.length > 0) (found ??= []).push(`breaks its schema: ${problems.join('; ')}`);
        event = { type, data: current.data } as CaseEvent;
      }
    }
    if (event) {
      try {
        const step = checkCaseEvent(progress.check, event, caseIdOf(streamId));
        progress.check = step.state;
        if (step.anomaly) (found ??= []).push(step.anomaly);
      } catch {
        // The schema problem is already reported; a half-formed event cannot be judged.
      }
    }
    if (found) this.anomalyCount += found.length;
    return found;
  }
}

function revisionAnomaly(expected: number, actual: number): string {
  if (actual > expected) {
    const missing =
      actual - expected === 1
        ? `revision ${expected + 1} is`
        : `revisions ${expected + 1} to ${actual} are`;
    return `${missing} missing from the stream (store revision ${expected} expected, ${actual} found)`;
  }
  return `store revision ${actual} comes again after ${expected - 1}; revisions must increase by one`;
}

function anomalyOf(
  streamId: string,
  revision: bigint | number,
  position: bigint | number,
  eventId: string,
  type: string,
  problem: string,
): Anomaly {
  return {
    streamId,
    caseId: caseIdOf(streamId),
    revision: Number(revision) + 1,
    storeRevision: revision.toString(),
    position: position.toString(),
    eventId,
    type,
    problem,
  };
}
