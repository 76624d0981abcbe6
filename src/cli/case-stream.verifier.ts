import {
  CASE_STREAM_PREFIX,
  upcastRecordedEvent,
  UnreadableCaseEvent,
} from '../cases/application/case-stream';
import { validateCaseEvent } from '../cases/contract/case-event.schemas';
import {
  checkCaseEvent,
  initialHistoryCheckState,
  type CaseHistoryCheckState,
} from '../cases/domain/case.history-check';
import { CASE_EVENT_TYPES, type CaseEvent } from '../cases/domain/case.events';
import type { RecordedEvent } from '../event-store/event-store.port';

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
  nextRevision: bigint;
  check: CaseHistoryCheckState;
}

const KNOWN_TYPES = new Set<string>(CASE_EVENT_TYPES);

/**
 * Checks case events one at a time, in any interleaving of streams as long as each stream's
 * events come in revision order (global order does that). Per stream it keeps only the next
 * expected revision and a compact legality state, so memory grows with the number of cases,
 * not of events.
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

  /** Every anomaly this event shows, in the order a reader would want to fix them. */
  inspect(recorded: RecordedEvent): Anomaly[] {
    this.eventCount += 1;
    const found: string[] = [];
    let progress = this.streams.get(recorded.streamId);
    if (!progress) {
      progress = { nextRevision: 0n, check: initialHistoryCheckState };
      this.streams.set(recorded.streamId, progress);
    }
    const revisionProblem = revisionAnomaly(progress.nextRevision, recorded.revision);
    if (revisionProblem) found.push(revisionProblem);
    if (recorded.revision >= progress.nextRevision) progress.nextRevision = recorded.revision + 1n;

    const caseId = recorded.streamId.slice(CASE_STREAM_PREFIX.length);
    const event = readableEvent(recorded, found);
    if (event) {
      try {
        const step = checkCaseEvent(progress.check, event, caseId);
        progress.check = step.state;
        if (step.anomaly) found.push(step.anomaly);
      } catch {
        // The schema problem is already reported; a half-formed event cannot be judged.
      }
    }
    this.anomalyCount += found.length;
    return found.map((problem) => anomalyOf(recorded, caseId, problem));
  }
}

function revisionAnomaly(expected: bigint, actual: bigint): string | undefined {
  if (actual === expected) return undefined;
  if (actual > expected) {
    const missing =
      actual - expected === 1n
        ? `revision ${expected + 1n} is`
        : `revisions ${expected + 1n} to ${actual} are`;
    return `${missing} missing from the stream (store revision ${expected} expected, ${actual} found)`;
  }
  return `store revision ${actual} comes again after ${expected - 1n}; revisions must increase by one`;
}

/** The event in its current shape if it is one the domain can judge; records why not otherwise. */
function readableEvent(recorded: RecordedEvent, found: string[]): CaseEvent | undefined {
  if (!KNOWN_TYPES.has(recorded.type)) {
    found.push(`unknown event type "${recorded.type}"`);
    return undefined;
  }
  let current: RecordedEvent;
  try {
    current = upcastRecordedEvent(recorded);
  } catch (error) {
    // An upcaster meeting damaged old data fails too: that is this event's anomaly, not a bug.
    const reason = error instanceof UnreadableCaseEvent ? error.message : String(error);
    found.push(`unreadable: ${reason}`);
    return undefined;
  }
  const problems = validateCaseEvent(current.type, current.data, current.metadata);
  if (problems.length > 0) found.push(`breaks its schema: ${problems.join('; ')}`);
  return { type: current.type, data: current.data } as CaseEvent;
}

function anomalyOf(recorded: RecordedEvent, caseId: string, problem: string): Anomaly {
  return {
    streamId: recorded.streamId,
    caseId,
    revision: Number(recorded.revision) + 1,
    storeRevision: recorded.revision.toString(),
    position: recorded.position.toString(),
    eventId: recorded.id,
    type: recorded.type,
    problem,
  };
}
