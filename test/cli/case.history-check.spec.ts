import { seededRandom } from '../support/seeded-random';
import type { CaseCommand } from '../../src/cases/domain/case.commands';
import { decide } from '../../src/cases/domain/case.decider';
import type { CaseEvent } from '../../src/cases/domain/case.events';
import {
  checkCaseEvent,
  initialHistoryCheckState,
  type CaseHistoryCheckState,
} from '../../src/cases/domain/case.history-check';
import { evolve, initialState, type CaseState } from '../../src/cases/domain/case.state';
import {
  ASSIGNEE,
  OTHER_ASSIGNEE,
  OTHER_QUEUE,
  QUEUE,
  assigned,
  awaitingChanged,
  completed,
  created,
  parametersChanged,
  queried,
  resumed,
  transferred,
  unassigned,
} from './support/case-event.fixtures';

const CASE_ID = 'CAS-1234-5678-9012';

/** Every anomaly of a history, as `[case revision, what]`. */
function anomaliesOf(history: readonly CaseEvent[]): [number, string][] {
  let state: CaseHistoryCheckState = initialHistoryCheckState;
  const found: [number, string][] = [];
  history.forEach((event, i) => {
    const step = checkCaseEvent(state, event, CASE_ID);
    state = step.state;
    if (step.anomaly) found.push([i + 1, step.anomaly]);
  });
  return found;
}

describe('judging a stored case history against the rules of decide', () => {
  it('finds nothing wrong with a whole lifecycle', () => {
    expect(
      anomaliesOf([
        created(CASE_ID),
        transferred(QUEUE, OTHER_QUEUE),
        assigned(ASSIGNEE, null),
        assigned(OTHER_ASSIGNEE, ASSIGNEE),
        awaitingChanged(true),
        queried(),
        parametersChanged('Priority 2'),
        resumed,
        unassigned(OTHER_ASSIGNEE),
        awaitingChanged(false),
        completed,
      ]),
    ).toEqual([]);
  });

  describe('a new stream', () => {
    it('must start with CaseCreated, and its later events are not judged again', () => {
      expect(anomaliesOf([queried(), resumed, completed])).toEqual([
        [1, 'CaseQueried before CaseCreated'],
      ]);
    });

    it('must name the case its stream is for', () => {
      expect(anomaliesOf([created('CAS-0000-0000-0001')])).toEqual([
        [1, `CaseCreated names case CAS-0000-0000-0001, not ${CASE_ID}`],
      ]);
    });
  });

  describe('a processing case', () => {
    it('cannot be resumed', () => {
      expect(anomaliesOf([created(CASE_ID), resumed])).toEqual([
        [2, 'CaseResumed on a Processing case; only a Querying case can be processed'],
      ]);
    });

    it('cannot be created again', () => {
      expect(anomaliesOf([created(CASE_ID), created(CASE_ID)])).toEqual([
        [2, 'CaseCreated on a case that already exists (Processing)'],
      ]);
    });

    it('is transferred only from the queue it is in, to another one', () => {
      expect(
        anomaliesOf([created(CASE_ID), transferred(OTHER_QUEUE, QUEUE), transferred(QUEUE, QUEUE)]),
      ).toEqual([
        [2, `CaseTransferred from ${OTHER_QUEUE.id}, but the case is in ${QUEUE.id}`],
        [3, `CaseTransferred to ${QUEUE.id}, the queue it is already in`],
      ]);
    });

    it('is assigned only to someone new, naming the assignee it had', () => {
      expect(
        anomaliesOf([
          created(CASE_ID, ASSIGNEE),
          assigned(ASSIGNEE, ASSIGNEE),
          assigned(OTHER_ASSIGNEE, null),
        ]),
      ).toEqual([
        [2, `CaseAssigned to ${ASSIGNEE.id}, who is already the assignee`],
        [3, `CaseAssigned says the previous assignee was nobody, but it was ${ASSIGNEE.id}`],
      ]);
    });

    it('is unassigned only when it has an assignee', () => {
      expect(anomaliesOf([created(CASE_ID), unassigned(ASSIGNEE)])).toEqual([
        [2, 'CaseUnassigned on a case that has no assignee'],
      ]);
    });

    it('changes awaiting only to the other value', () => {
      expect(anomaliesOf([created(CASE_ID), awaitingChanged(false)])).toEqual([
        [2, 'CaseAwaitingChanged to false, which it already was'],
      ]);
    });
  });

  describe('a querying case', () => {
    it('cannot be queried again', () => {
      expect(anomaliesOf([created(CASE_ID), queried(), queried()])).toEqual([
        [3, 'CaseQueried on a Querying case; only a Processing case can be queried'],
      ]);
    });
  });

  describe('a completed case', () => {
    it('reports every event after the completion', () => {
      expect(anomaliesOf([created(CASE_ID), completed, awaitingChanged(true), completed])).toEqual([
        [3, 'CaseAwaitingChanged after CaseCompleted; a completed case accepts no commands'],
        [4, 'CaseCompleted after CaseCompleted; a completed case accepts no commands'],
      ]);
    });
  });

  it('accepts every history decide writes, whatever the commands (seeded random walks)', () => {
    const random = seededRandom(20261124);
    for (let walk = 0; walk < 200; walk += 1) {
      let state: CaseState = initialState;
      const history: CaseEvent[] = [];
      for (let step = 0; step < 12; step += 1) {
        const command =
          step === 0 ? createCommand() : COMMANDS[Math.floor(random() * COMMANDS.length)]!(random);
        let events: CaseEvent[];
        try {
          events = decide(command, state);
        } catch {
          continue; // refused: nothing appended, nothing to judge
        }
        history.push(...events);
        state = events.reduce(evolve, state);
      }
      expect(anomaliesOf(history)).toEqual([]);
    }
  });
});

const createCommand = (): CaseCommand => ({
  type: 'CreateCase',
  caseId: CASE_ID,
  data: { ...created(CASE_ID).data, chatId: 'CHT-1111-2222-3333' } as never,
});

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

const COMMANDS: ((random: () => number) => CaseCommand)[] = [
  (r) => ({
    type: 'TransferCase',
    caseId: CASE_ID,
    data: { queue: pick(r, [QUEUE, OTHER_QUEUE]) },
  }),
  (r) => ({
    type: 'AssignCase',
    caseId: CASE_ID,
    data: { assignee: pick(r, [ASSIGNEE, OTHER_ASSIGNEE, null]) },
  }),
  () => ({ type: 'QueryCase', caseId: CASE_ID, data: { queryPrompt: 'Why?' } }),
  () => ({ type: 'ProcessCase', caseId: CASE_ID, data: {} }),
  (r) => ({ type: 'SetAwaiting', caseId: CASE_ID, data: { awaiting: r() < 0.5 } }),
  (r) => ({
    type: 'UpdateCase',
    caseId: CASE_ID,
    data: {
      queue: pick(r, [QUEUE, OTHER_QUEUE]),
      assignee: pick(r, [ASSIGNEE, null]),
      awaiting: r() < 0.5,
    },
  }),
  (r) =>
    r() < 0.3
      ? { type: 'CompleteCase', caseId: CASE_ID, data: {} }
      : { type: 'ProcessCase', caseId: CASE_ID, data: {} },
];
