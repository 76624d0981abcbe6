import { seededRandom } from '../../test/support/seeded-random';
import { randomUUID } from 'node:crypto';
import { caseStreamId } from '../../src/cases/application/case-event.codec';
import { CASE_EVENT_SCHEMA_VERSION, type CaseEvent } from '../../src/cases/domain/case.events';
import type { CaseEventMetadata } from '../../src/cases/domain/case.history';
import type { Assignee, Queue } from '../../src/cases/domain/case.values';
import type { EventStore, EventToAppend } from '../../src/event-store/event-store.port';
import { DEV_PRINCIPALS } from '../../src/identity/dev-tokens';
import {
  CLIENT_ACCOUNT,
  CLIENT_REPORTER,
  OTHER_QUEUE,
  QUEUE,
  VISIBLE_PARAMETER,
} from '../../test/support/case.fixtures';

/**
 * A large, legal history written through the store port the way the command pipeline writes
 * (pipeline metadata, one append per command, expected revisions), in waves of cases that are
 * open at the same time, so global order interleaves many streams as a busy helpdesk would.
 */
export interface GenerateOptions {
  readonly events: number;
  /** Cases in flight together; also how many appends go to the writer at once. */
  readonly wave?: number;
  readonly onProgress?: (written: number) => void;
  /**
   * What the case event stream does to a command's events before they are stored (sealing
   * their personal fields, `CaseEventPrivacy.seal`); stored as generated without it.
   */
  readonly seal?: (events: EventToAppend[], reporterId: string) => Promise<EventToAppend[]>;
}

const QUEUES: Queue[] = [
  QUEUE,
  OTHER_QUEUE,
  { id: 'HQU-7777-8888', name: 'Compliance', workflow: 'HWF-7777-0001' },
];
const ASSIGNEES: Assignee[] = [
  { id: 'USR-6375-2499', email: 'will@example.com', firstName: 'Will', lastName: 'Smith' },
  { id: 'USR-6375-2498', email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' },
  { id: 'USR-6375-2497', email: 'raj@example.com', firstName: 'Raj', lastName: 'Patel' },
];
const OPERATOR = DEV_PRINCIPALS.operations;

export async function generateCaseHistory(
  store: EventStore,
  options: GenerateOptions,
): Promise<number> {
  const wave = options.wave ?? 2_000;
  let written = 0;
  let caseNumber = 0;
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const random = seededRandom(1124);
  while (written < options.events) {
    const lifecycles = Array.from({ length: wave }, () =>
      lifecycle(`CAS-${pad(++caseNumber)}`, random),
    );
    // Command k of every case in the wave, then command k+1: streams interleave in global order.
    for (let step = 0; lifecycles.some((commands) => step < commands.length); step += 1) {
      const appends: Promise<unknown>[] = [];
      for (const commands of lifecycles) {
        const command = commands[step];
        if (!command) continue;
        clock += 7;
        const metadata = pipelineMetadata(new Date(clock).toISOString());
        const events: EventToAppend[] = command.events.map((e) => ({
          id: randomUUID(),
          type: e.type,
          data: e.data,
          metadata,
        }));
        const expectedRevision =
          command.revision === 0 ? 'no_stream' : BigInt(command.revision - 1);
        const stored = options.seal ? options.seal(events, CLIENT_REPORTER.id) : events;
        appends.push(
          Promise.resolve(stored).then((toStore) =>
            store.appendToStream(caseStreamId(command.caseId), toStore, { expectedRevision }),
          ),
        );
        written += events.length;
      }
      await Promise.all(appends);
      options.onProgress?.(written);
    }
  }
  return written;
}

interface Command {
  readonly caseId: string;
  /** Events in the stream before this command's. */
  readonly revision: number;
  readonly events: CaseEvent[];
}

/** A legal life of one case: 4 to 16 events, mostly completed, some still open. */
function lifecycle(caseId: string, random: () => number): Command[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  let queue = pick(QUEUES);
  let assignee: Assignee | null = null;
  let awaiting = false;
  const batches: CaseEvent[][] = [[created(caseId, queue)]];
  const rounds = 1 + Math.floor(random() * 5);
  for (let round = 0; round < rounds; round += 1) {
    const next = pick(ASSIGNEES.filter((a) => a.id !== assignee?.id));
    batches.push([{ type: 'CaseAssigned', data: { assignee: next, previousAssignee: assignee } }]);
    assignee = next;
    if (random() < 0.4) {
      const to = pick(QUEUES.filter((q) => q.id !== queue.id));
      // One PUT changing queue and awaiting: one append of two events, as the pipeline writes it.
      batches.push([
        { type: 'CaseTransferred', data: { from: queue, to } },
        { type: 'CaseAwaitingChanged', data: { awaiting: !awaiting } },
      ]);
      queue = to;
      awaiting = !awaiting;
    }
    batches.push([
      {
        type: 'CaseQueried',
        data: { queryPrompt: `Could you send document ${round + 1}, please?` },
      },
    ]);
    batches.push([{ type: 'CaseResumed', data: {} }]);
    if (random() < 0.3) batches.push([parametersChanged(round)]);
  }
  if (random() < 0.85) batches.push([{ type: 'CaseCompleted', data: {} }]);
  let revision = 0;
  return batches.map((events) => {
    const command = { caseId, revision, events };
    revision += events.length;
    return command;
  });
}

function created(caseId: string, queue: Queue): CaseEvent {
  return {
    type: 'CaseCreated',
    data: {
      caseId,
      chat: { id: `CHT-${caseId.slice(4)}`, type: 'case' },
      queue,
      account: CLIENT_ACCOUNT,
      reporter: CLIENT_REPORTER,
      assignee: null,
      parameters: [{ ...VISIBLE_PARAMETER, value: 'Priority 2' }],
      openingMessage: 'Hello, we would like to open a business account.',
    },
  };
}

function parametersChanged(round: number): CaseEvent {
  return {
    type: 'CaseParametersChanged',
    data: {
      parameters: [{ ...VISIBLE_PARAMETER, value: `Priority ${(round % 3) + 1}` }],
    },
  };
}

function pipelineMetadata(occurredAt: string): CaseEventMetadata {
  const { id, name, accountId, accountName, accountType } = OPERATOR;
  return {
    schemaVersion: CASE_EVENT_SCHEMA_VERSION,
    occurredAt,
    actor: { id, name, accountId, accountName, accountType },
    $correlationId: randomUUID(),
    $causationId: randomUUID(),
  };
}

/** `CAS-0000-0012-3456` from 123456. */
function pad(n: number): string {
  const digits = String(n).padStart(12, '0');
  return `${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8)}`;
}
