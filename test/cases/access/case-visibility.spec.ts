import { eventDataFor, narrowCaseView } from '../../../src/cases/access/case-visibility';
import type { CaseEvent } from '../../../src/cases/domain/case.events';
import { foldCaseView, type CaseView } from '../../../src/cases/domain/case.view';
import {
  assigned,
  awaitingChanged,
  by,
  caseCreated,
  history,
  internalScore,
  parametersChanged,
  priority,
  queried,
  region,
  transferred,
  will,
  willActor,
} from '../domain/case.fixtures';

describe('narrowCaseView', () => {
  describe('for operations', () => {
    it('leaves the view untouched: awaiting, its audit entry and hidden parameters stay', () => {
      const view = awaitingCase();
      expect(narrowCaseView(view, 'operations')).toStrictEqual(awaitingCase());
    });
  });

  describe('for the account audience', () => {
    it('has no awaiting field', () => {
      expect(narrowCaseView(awaitingCase(), 'account')).not.toHaveProperty('awaiting');
    });

    it('has no awaitingChanged audit entry, and keeps the other audit entries', () => {
      const { audit } = awaitingCase();
      const { awaitingChanged: _hidden, ...visibleAudit } = audit;
      expect(_hidden).toBeDefined();
      expect(narrowCaseView(awaitingCase(), 'account').audit).toStrictEqual(visibleAudit);
    });

    it('keeps only the parameters visible to the reporter, in their order', () => {
      expect(narrowCaseView(awaitingCase(), 'account').parameters).toStrictEqual([
        priority('Priority 1'),
        region,
      ]);
    });

    it('leaves every other field as it is', () => {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const { awaiting, audit, parameters, ...rest } = awaitingCase();
      expect(narrowCaseView(awaitingCase(), 'account')).toMatchObject(rest);
    });

    it('does not change the view it narrows', () => {
      const view = awaitingCase();
      narrowCaseView(view, 'account');
      expect(view).toStrictEqual(awaitingCase());
    });
  });
});

describe('eventDataFor', () => {
  describe('for operations', () => {
    it.each(eventsWithHiddenParameters())('gives %s with every parameter', (_, event) => {
      const recorded = event();
      expect(eventDataFor(recorded, 'operations')).toStrictEqual(recorded.data);
    });
  });

  describe('for the account audience', () => {
    it('removes hidden parameters from a creation, keeping the rest of it', () => {
      const created = openedWithHidden();
      expect(eventDataFor(created, 'account')).toStrictEqual({
        ...created.data,
        parameters: [priority('Priority 1'), region],
      });
    });

    it('removes hidden parameters from a parameter change', () => {
      const changed = parametersChanged(internalScore(8), priority('Priority 2'));
      expect(eventDataFor(changed, 'account')).toStrictEqual({
        parameters: [priority('Priority 2')],
      });
    });

    it.each(eventsWithoutParameters())('gives %s as recorded', (_, event) => {
      const recorded = event();
      expect(eventDataFor(recorded, 'account')).toStrictEqual(recorded.data);
    });
  });
});

// Fixtures

/** Created with Priority (visible), Region (no constraints) and the internal score (hidden). */
function openedWithHidden() {
  return caseCreated({ parameters: [priority('Priority 1'), region, internalScore(7)] });
}

/** A case an operations user set awaiting, then transferred: every field an audience may lose. */
function awaitingCase(): CaseView {
  return foldCaseView(
    history(openedWithHidden(), by(willActor, awaitingChanged(true)), by(willActor, transferred)),
  )!;
}

function eventsWithHiddenParameters(): [string, () => CaseEvent][] {
  return [
    ['a creation', openedWithHidden],
    ['a parameter change', () => parametersChanged(internalScore(8), priority('Priority 2'))],
  ];
}

function eventsWithoutParameters(): [string, () => CaseEvent][] {
  return [
    ['a transfer', () => transferred],
    ['an assignment', () => assigned(will)],
    ['a query', () => queried],
  ];
}
