import type { CaseEvent } from '../../../src/cases/domain/case.events';
import { evolve, initialState, type CaseState } from '../../../src/cases/domain/case.state';
import type { Assignee, Parameter, Queue } from '../../../src/cases/domain/case.values';

describe('evolve', () => {
  describe('status', () => {
    it('has no case before any event', () => {
      expect(fold()).toStrictEqual({ status: 'None' });
    });

    it('starts a created case Processing, not awaiting, with what it was created with', () => {
      expect(fold(opened)).toStrictEqual({
        status: 'Processing',
        caseId,
        chat: { id: chatId, type: 'case' },
        queue: onboarding,
        account: stark,
        reporter: jane,
        assignee: null,
        parameters: [priority('Priority 1'), region],
        awaiting: false,
      });
    });

    it('is Querying once queried', () => {
      expect(fold(opened, queried(prompt)).status).toBe('Querying');
    });

    it('is Processing again once the query is answered', () => {
      expect(fold(opened, queried(prompt), resumed).status).toBe('Processing');
    });

    it('is Completed once completed from Processing', () => {
      expect(fold(opened, completed).status).toBe('Completed');
    });

    it('is Completed once completed from Querying', () => {
      expect(fold(opened, queried(prompt), completed).status).toBe('Completed');
    });
  });

  describe('queryPrompt', () => {
    it('is absent while Processing', () => {
      expect(fold(opened)).not.toHaveProperty('queryPrompt');
    });

    it('holds the prompt while Querying', () => {
      expect(fold(opened, queried(prompt))).toHaveProperty('queryPrompt', prompt);
    });

    it('is null while Querying without a prompt', () => {
      expect(fold(opened, queried(null))).toHaveProperty('queryPrompt', null);
    });

    it('survives other changes while Querying', () => {
      const state = fold(opened, queried(prompt), transferred, assigned(will), awaiting(true));
      expect(state).toHaveProperty('queryPrompt', prompt);
    });

    it('is gone once the query is answered', () => {
      expect(fold(opened, queried(prompt), resumed)).not.toHaveProperty('queryPrompt');
    });

    it('is gone once the case is completed', () => {
      expect(fold(opened, queried(prompt), completed)).not.toHaveProperty('queryPrompt');
    });
  });

  describe('fields', () => {
    it('moves to the queue it was transferred to', () => {
      expect(fold(opened, transferred)).toHaveProperty('queue', billing);
    });

    it('takes the assignee it was assigned', () => {
      expect(fold(opened, assigned(will))).toHaveProperty('assignee', will);
    });

    it('has no assignee once unassigned', () => {
      expect(fold(opened, assigned(will), unassigned(will))).toHaveProperty('assignee', null);
    });

    it('takes the awaiting flag it was set to', () => {
      expect(fold(opened, awaiting(true))).toHaveProperty('awaiting', true);
      expect(fold(opened, awaiting(true), awaiting(false))).toHaveProperty('awaiting', false);
    });
  });

  describe('parameters', () => {
    it('replaces a changed parameter in place', () => {
      const state = fold(opened, parametersChanged(priority('Priority 2')));
      expect(state).toHaveProperty('parameters', [priority('Priority 2'), region]);
    });

    it('appends a new parameter', () => {
      const state = fold(opened, parametersChanged(segment));
      expect(state).toHaveProperty('parameters', [priority('Priority 1'), region, segment]);
    });

    it('replaces and appends in one change, leaving the others untouched', () => {
      const state = fold(opened, parametersChanged(segment, region2));
      expect(state).toHaveProperty('parameters', [priority('Priority 1'), region2, segment]);
    });
  });
});

function fold(...events: CaseEvent[]): CaseState {
  return events.reduce(evolve, initialState);
}

// Fixtures

const caseId = 'CAS-1234-5678-9012';
const chatId = 'CHT-1111-2222-3333';
const onboarding: Queue = { id: 'HQU-1234-1234', name: 'Business Onboarding' };
const billing: Queue = { id: 'HQU-5678-5678', name: 'Billing' };
const stark = { id: 'ACC-6685-9632', name: 'Stark Industries' };
const jane = { id: 'USR-6375-2500', name: 'Jane Doe' };
const will: Assignee = { id: 'USR-6375-2499', email: 'will@example.com' };
const prompt = 'Can you please fill in the form with the required information?';

const priority = (value: string): Parameter => ({ id: 'PAR-1344-4634', name: 'Priority', value });
const region: Parameter = { id: 'PAR-2000-0001', name: 'Region', value: 'EMEA' };
const region2: Parameter = { id: 'PAR-2000-0001', name: 'Region', value: 'APAC' };
const segment: Parameter = { id: 'PAR-2000-0002', name: 'Segment', value: 'SMB' };

const opened: CaseEvent = {
  type: 'CaseCreated',
  data: {
    caseId,
    chat: { id: chatId, type: 'case' },
    queue: onboarding,
    account: stark,
    reporter: jane,
    assignee: null,
    parameters: [priority('Priority 1'), region],
    openingMessage: 'Hello',
  },
};
const transferred: CaseEvent = { type: 'CaseTransferred', data: { from: onboarding, to: billing } };
const assigned = (assignee: Assignee): CaseEvent => ({
  type: 'CaseAssigned',
  data: { assignee, previousAssignee: null },
});
const unassigned = (previousAssignee: Assignee): CaseEvent => ({
  type: 'CaseUnassigned',
  data: { previousAssignee },
});
const queried = (queryPrompt: string | null): CaseEvent => ({
  type: 'CaseQueried',
  data: { queryPrompt },
});
const resumed: CaseEvent = { type: 'CaseResumed', data: {} };
const completed: CaseEvent = { type: 'CaseCompleted', data: {} };
const awaiting = (value: boolean): CaseEvent => ({
  type: 'CaseAwaitingChanged',
  data: { awaiting: value },
});
const parametersChanged = (...parameters: Parameter[]): CaseEvent => ({
  type: 'CaseParametersChanged',
  data: { parameters },
});
