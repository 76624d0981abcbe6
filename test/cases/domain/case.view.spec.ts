import type { CaseEvent } from '../../../src/cases/domain/case.events';
import type { CaseHistoryEntry } from '../../../src/cases/domain/case.history';
import { foldCaseView, type AuditKey } from '../../../src/cases/domain/case.view';
import {
  assigned,
  at,
  awaitingChanged,
  by,
  caseId,
  chatId,
  completed,
  entryBy,
  history,
  janeActor,
  onboarding,
  opened,
  parametersChanged,
  priority,
  prompt,
  queried,
  resumed,
  stark,
  transferred,
  transferredBack,
  unassigned,
  will,
  willActor,
} from './case.fixtures';

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
        reporter: { id: janeActor.id, name: janeActor.name },
        chat: { id: chatId, type: 'case' },
        parameters: [],
        audit: { created: entryBy(janeActor, 0), updated: entryBy(janeActor, 0) },
      });
    });

    it('shows the queryPrompt while Querying', () => {
      expect(foldCaseView(history(opened, queried))).toHaveProperty('queryPrompt', prompt);
    });
  });

  describe('audit', () => {
    it('records who did it, from which account, and when', () => {
      const view = foldCaseView(history(opened, by(willActor, transferred)));
      expect(view?.audit.transferred).toStrictEqual({
        at: at(1),
        by: { id: willActor.id, name: willActor.name },
        of: { id: willActor.accountId, name: willActor.accountName },
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
      ['assigned', () => assigned(will)],
      ['queried', () => queried],
      ['awaitingChanged', () => awaitingChanged(true)],
      ['completed', () => completed],
    ])('records %s, and updated with it', (key, event) => {
      const { audit } = foldCaseView(history(opened, by(willActor, event())))!;
      expect(audit[key]).toStrictEqual(entryBy(willActor, 1));
      expect(audit.updated).toStrictEqual(entryBy(willActor, 1));
    });

    it('records processed when a query is answered', () => {
      const { audit } = foldCaseView(history(opened, queried, by(willActor, resumed)))!;
      expect(audit.processed).toStrictEqual(entryBy(willActor, 2));
    });

    it('records an unassignment as assigned', () => {
      const { audit } = foldCaseView(
        history(opened, assigned(will), by(willActor, unassigned(will))),
      )!;
      expect(audit.assigned).toStrictEqual(entryBy(willActor, 2));
    });

    it('records a parameter change as updated only', () => {
      const { audit } = foldCaseView(
        history(opened, by(willActor, parametersChanged(priority('Priority 2')))),
      )!;
      expect(audit).toStrictEqual({
        created: entryBy(janeActor, 0),
        updated: entryBy(willActor, 1),
      });
    });

    it('holds the latest occurrence of each kind of event', () => {
      const { audit } = foldCaseView(
        history(opened, transferred, by(willActor, transferredBack), awaitingChanged(true)),
      )!;
      expect(audit.transferred).toStrictEqual(entryBy(willActor, 2));
      expect(audit.updated).toStrictEqual(entryBy(janeActor, 3));
    });

    it('keeps the creation as created however many changes follow', () => {
      const { audit } = foldCaseView(
        history(opened, by(willActor, transferred), by(willActor, queried)),
      )!;
      expect(audit.created).toStrictEqual(entryBy(janeActor, 0));
    });
  });

  describe('with events hidden from the caller', () => {
    const hideAwaiting = (entry: CaseHistoryEntry) => entry.event.type !== 'CaseAwaitingChanged';
    const entries = () => history(opened, by(willActor, transferred), awaitingChanged(true));

    it('leaves no audit key for the hidden event', () => {
      expect(foldCaseView(entries(), hideAwaiting)?.audit).not.toHaveProperty('awaitingChanged');
    });

    it('does not move updated for the hidden event', () => {
      expect(foldCaseView(entries(), hideAwaiting)?.audit.updated).toStrictEqual(
        entryBy(willActor, 1),
      );
    });

    it('still folds the hidden event into the state and the revision', () => {
      expect(foldCaseView(entries(), hideAwaiting)).toMatchObject({ awaiting: true, revision: 3 });
    });
  });
});
