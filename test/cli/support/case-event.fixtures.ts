import type { CaseEvent } from '../../../src/cases/domain/case.events';
import { ASSIGNEE, OTHER_ASSIGNEE, OTHER_QUEUE, QUEUE } from '../../support/case.fixtures';

/** Case events as `decide` writes them, for histories built without the HTTP app. */
export { ASSIGNEE, OTHER_ASSIGNEE, OTHER_QUEUE, QUEUE };

export const created = (caseId: string, assignee: typeof ASSIGNEE | null = null): CaseEvent => ({
  type: 'CaseCreated',
  data: {
    caseId,
    chat: { id: 'CHT-1111-2222-3333', type: 'case' },
    queue: QUEUE,
    account: { id: 'ACC-2000-0000', name: 'Stark Industries' },
    reporter: { id: 'USR-2000-0001', name: 'Jane Doe' },
    assignee,
    parameters: [
      {
        id: 'PAR-1344-4634',
        name: 'Priority',
        scope: 'Case',
        phase: 'request',
        constraints: { visibleToReporter: true },
        value: 'Priority 1',
      },
    ],
  },
});
export const transferred = (from = QUEUE, to = OTHER_QUEUE): CaseEvent => ({
  type: 'CaseTransferred',
  data: { from, to },
});
export const assigned = (
  assignee = ASSIGNEE,
  previousAssignee: typeof ASSIGNEE | null = null,
): CaseEvent => ({
  type: 'CaseAssigned',
  data: { assignee, previousAssignee },
});
export const unassigned = (previousAssignee = ASSIGNEE): CaseEvent => ({
  type: 'CaseUnassigned',
  data: { previousAssignee },
});
export const queried = (queryPrompt: string | null = 'Which contract?'): CaseEvent => ({
  type: 'CaseQueried',
  data: { queryPrompt },
});
export const resumed: CaseEvent = { type: 'CaseResumed', data: {} };
export const completed: CaseEvent = { type: 'CaseCompleted', data: {} };
export const awaitingChanged = (awaiting: boolean): CaseEvent => ({
  type: 'CaseAwaitingChanged',
  data: { awaiting },
});
export const parametersChanged = (value: string): CaseEvent => ({
  type: 'CaseParametersChanged',
  data: {
    parameters: [
      {
        id: 'PAR-1344-4634',
        name: 'Priority',
        scope: 'Case',
        phase: 'request',
        constraints: { visibleToReporter: true },
        value,
      },
    ],
  },
});
