import type { CaseEvent } from '../../../src/cases/domain/case.events';
import { evolve, initialState, type CaseState } from '../../../src/cases/domain/case.state';
import {
  assigned,
  awaitingChanged,
  billing,
  caseCreated,
  caseId,
  chatId,
  completed,
  jane,
  onboarding,
  parametersChanged,
  priority,
  prompt,
  queried,
  queriedWithoutPrompt,
  region,
  regionApac,
  resumed,
  segment,
  stark,
  transferred,
  unassigned,
  will,
} from './case.fixtures';

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
      expect(fold(opened, queried).status).toBe('Querying');
    });

    it('is Processing again once the query is answered', () => {
      expect(fold(opened, queried, resumed).status).toBe('Processing');
    });

    it('is Completed once completed from Processing', () => {
      expect(fold(opened, completed).status).toBe('Completed');
    });

    it('is Completed once completed from Querying', () => {
      expect(fold(opened, queried, completed).status).toBe('Completed');
    });
  });

  describe('queryPrompt', () => {
    it('is absent while Processing', () => {
      expect(fold(opened)).not.toHaveProperty('queryPrompt');
    });

    it('holds the prompt while Querying', () => {
      expect(fold(opened, queried)).toHaveProperty('queryPrompt', prompt);
    });

    it('is null while Querying without a prompt', () => {
      expect(fold(opened, queriedWithoutPrompt)).toHaveProperty('queryPrompt', null);
    });

    it('survives other changes while Querying', () => {
      const state = fold(opened, queried, transferred, assigned(will), awaitingChanged(true));
      expect(state).toHaveProperty('queryPrompt', prompt);
    });

    it('is gone once the query is answered', () => {
      expect(fold(opened, queried, resumed)).not.toHaveProperty('queryPrompt');
    });

    it('is gone once the case is completed', () => {
      expect(fold(opened, queried, completed)).not.toHaveProperty('queryPrompt');
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
      expect(fold(opened, awaitingChanged(true))).toHaveProperty('awaiting', true);
      expect(fold(opened, awaitingChanged(true), awaitingChanged(false))).toHaveProperty(
        'awaiting',
        false,
      );
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
      const state = fold(opened, parametersChanged(segment, regionApac));
      expect(state).toHaveProperty('parameters', [priority('Priority 1'), regionApac, segment]);
    });
  });
});

function fold(...events: CaseEvent[]): CaseState {
  return events.reduce(evolve, initialState);
}

// Fixtures

/** Created with two parameters and an opening message, which the state does not keep. */
const opened: CaseEvent = caseCreated({
  parameters: [priority('Priority 1'), region],
  openingMessage: 'Hello',
});
