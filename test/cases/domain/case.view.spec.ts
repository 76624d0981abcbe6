import type { CaseEvent } from '../../../src/cases/domain/case.events';
import type { CaseHistoryEntry } from '../../../src/cases/domain/case.history';
import type { Actor } from '../../../src/cases/domain/case.values';
import { foldCaseView, type AuditKey } from '../../../src/cases/domain/case.view';

describe('foldCaseView', () => {
  it('is null for an empty history', () => {
    expect(foldCaseView([])).toBeNull();
  });

  describe('revision', () => {
    it('is 1 right after creation', () => {
      expect(foldCaseView(history(opened))?.revision).toBe(1);
    });

    it('is the number of events', () => {
      expect(foldCaseView(history(opened, transferred, queried, resumed))?.revision).toBe(4);
    });

    it('gives the case as it was at revision N when folding the first N events', () => {
      const entries = history(opened, queried, resumed, completed);
      expect(foldCaseView(entries.slice(0, 2))).toMatchObject({
        revision: 2,
        status: 'Querying',
        queryPrompt: prompt,
      });
      expect(foldCaseView(entries.slice(0, 2))?.audit).not.toHaveProperty('processed');
    });
  });

  describe('the resource', () => {
    it('shows a new case Processing, unassigned, not awaiting and without a queryPrompt', () => {
      expect(foldCaseView(history(opened))).toStrictEqual({
        id: caseId,
        revision: 1,
        status: 'Processing',
        awaiting: false,
        queue: onboarding,
        assignee: null,
        account: stark,
        reporter: { id: jane.id, name: jane.name },
        chat: { id: chatId, type: 'case' },
        parameters: [],
        audit: { created: entryBy(jane, 0), updated: entryBy(jane, 0) },
      });
    });

    it('shows the queryPrompt while Querying', () => {
      expect(foldCaseView(history(opened, queried))).toHaveProperty('queryPrompt', prompt);
    });
  });

  describe('audit', () => {
    it('records who did it, from which account, and when', () => {
      const view = foldCaseView(history(opened, by(will, transferred)));
      expect(view?.audit.transferred).toStrictEqual({
        at: at(1),
        by: { id: will.id, name: will.name },
        of: { id: will.accountId, name: will.accountName },
      });
    });

    it('has only created and updated after creation', () => {
      expect(Object.keys(foldCaseView(history(opened))?.audit ?? {})).toEqual([
        'created',
        'updated',
      ]);
    });

    it.each<[AuditKey, () => CaseEvent]>([
      ['transferred', () => transferred],
      ['assigned', () => assigned],
      ['queried', () => queried],
      ['awaitingChanged', () => awaitingChanged(true)],
      ['completed', () => completed],
    ])('records %s, and updated with it', (key, event) => {
      const { audit } = foldCaseView(history(opened, by(will, event())))!;
      expect(audit[key]).toStrictEqual(entryBy(will, 1));
      expect(audit.updated).toStrictEqual(entryBy(will, 1));
    });

    it('records processed when a query is answered', () => {
      const { audit } = foldCaseView(history(opened, queried, by(will, resumed)))!;
      expect(audit.processed).toStrictEqual(entryBy(will, 2));
    });

    it('records an unassignment as assigned', () => {
      const { audit } = foldCaseView(history(opened, assigned, by(will, unassigned)))!;
      expect(audit.assigned).toStrictEqual(entryBy(will, 2));
    });

    it('records a parameter change as updated only', () => {
      const { audit } = foldCaseView(history(opened, by(will, parametersChanged)))!;
      expect(audit).toStrictEqual({ created: entryBy(jane, 0), updated: entryBy(will, 1) });
    });

    it('holds the latest occurrence of each kind of event', () => {
      const { audit } = foldCaseView(
        history(opened, transferred, by(will, transferredBack), awaitingChanged(true)),
      )!;
      expect(audit.transferred).toStrictEqual(entryBy(will, 2));
      expect(audit.updated).toStrictEqual(entryBy(jane, 3));
    });

    it('keeps the creation as created however many changes follow', () => {
      const { audit } = foldCaseView(history(opened, by(will, transferred), by(will, queried)))!;
      expect(audit.created).toStrictEqual(entryBy(jane, 0));
    });
  });

  describe('with events hidden from the caller', () => {
    const hideAwaiting = (entry: CaseHistoryEntry) => entry.event.type !== 'CaseAwaitingChanged';
    const entries = () => history(opened, by(will, transferred), awaitingChanged(true));

    it('leaves no audit key for the hidden event', () => {
      expect(foldCaseView(entries(), hideAwaiting)?.audit).not.toHaveProperty('awaitingChanged');
    });

    it('does not move updated for the hidden event', () => {
      expect(foldCaseView(entries(), hideAwaiting)?.audit.updated).toStrictEqual(entryBy(will, 1));
    });

    it('still folds the hidden event into the state and the revision', () => {
      expect(foldCaseView(entries(), hideAwaiting)).toMatchObject({ awaiting: true, revision: 3 });
    });
  });
});

// Fixtures

const caseId = 'CAS-1234-5678-9012';
const chatId = 'CHT-1111-2222-3333';
const onboarding = { id: 'HQU-1234-1234', name: 'Business Onboarding' };
const billing = { id: 'HQU-5678-5678', name: 'Billing' };
const stark = { id: 'ACC-6685-9632', name: 'Stark Industries' };
const jane: Actor = {
  id: 'USR-6375-2500',
  name: 'Jane Doe',
  accountId: 'ACC-6685-9632',
  accountName: 'Stark Industries',
  accountType: 'client',
};
const will: Actor = {
  id: 'USR-6375-2499',
  name: 'Will Smith',
  accountId: 'ACC-0000-0001',
  accountName: 'Helpdesk Operations',
  accountType: 'operations',
};
const prompt = 'Can you please fill in the form with the required information?';

/** The n-th event of a history happened n minutes after the first. */
const at = (n: number) => new Date(Date.UTC(2026, 10, 24, 10, n)).toISOString();
const entryBy = (actor: Actor, n: number) => ({
  at: at(n),
  by: { id: actor.id, name: actor.name },
  of: { id: actor.accountId, name: actor.accountName },
});

type Step = CaseEvent | { actor: Actor; event: CaseEvent };
/** An event done by someone other than Jane. */
const by = (actor: Actor, event: CaseEvent): Step => ({ actor, event });

function history(...steps: Step[]): CaseHistoryEntry[] {
  return steps.map((step, n) => {
    const { actor, event } = 'type' in step ? { actor: jane, event: step } : step;
    return {
      eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      revision: n + 1,
      event,
      metadata: {
        schemaVersion: 1,
        occurredAt: at(n),
        actor,
        correlationId: `corr-${n}`,
        causationId: `cause-${n}`,
      },
    };
  });
}

const assignee = { id: 'USR-6375-2499', email: 'will@example.com' };
const opened: CaseEvent = {
  type: 'CaseCreated',
  data: {
    caseId,
    chat: { id: chatId, type: 'case' },
    queue: onboarding,
    account: stark,
    reporter: { id: jane.id, name: jane.name },
    assignee: null,
    parameters: [],
  },
};
const transferred: CaseEvent = { type: 'CaseTransferred', data: { from: onboarding, to: billing } };
const transferredBack: CaseEvent = {
  type: 'CaseTransferred',
  data: { from: billing, to: onboarding },
};
const assigned: CaseEvent = { type: 'CaseAssigned', data: { assignee, previousAssignee: null } };
const unassigned: CaseEvent = { type: 'CaseUnassigned', data: { previousAssignee: assignee } };
const queried: CaseEvent = { type: 'CaseQueried', data: { queryPrompt: prompt } };
const resumed: CaseEvent = { type: 'CaseResumed', data: {} };
const completed: CaseEvent = { type: 'CaseCompleted', data: {} };
const awaitingChanged = (awaiting: boolean): CaseEvent => ({
  type: 'CaseAwaitingChanged',
  data: { awaiting },
});
const parametersChanged: CaseEvent = {
  type: 'CaseParametersChanged',
  data: { parameters: [{ id: 'PAR-1344-4634', name: 'Priority', value: 'Priority 2' }] },
};
