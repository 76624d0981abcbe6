import { CommandForbidden } from '../../../src/cases/access/case-access.errors';
import {
  audienceOf,
  authorizeCommand,
  authorizeCreate,
  isEventVisibleTo,
  isVisibleToReporter,
  maySeeCase,
  type Caller,
} from '../../../src/cases/access/case-access.policy';
import type { CaseCommand } from '../../../src/cases/domain/case.commands';
import type { CaseEvent } from '../../../src/cases/domain/case.events';
import { evolve, initialState, type ExistingCase } from '../../../src/cases/domain/case.state';
import type { Parameter } from '../../../src/cases/domain/case.values';
import {
  assignCase,
  assigned,
  awaitingChanged,
  billing,
  caseCreated,
  changeParameters,
  completeCase,
  history,
  internalScore,
  jane,
  parametersChanged,
  priority,
  processCase,
  prompt,
  queried,
  queryCase,
  region,
  segment,
  setAwaiting,
  stark,
  transferCase,
  transferred,
  updateCase,
  will,
} from '../domain/case.fixtures';

describe('audienceOf', () => {
  it('puts operations users in the operations audience', () => {
    expect(audienceOf(operator)).toBe('operations');
  });

  it.each([
    ['a client', () => client],
    ['a vendor', () => vendor],
  ])('puts %s in the account audience', (_, caller) => {
    expect(audienceOf(caller())).toBe('account');
  });
});

describe('maySeeCase', () => {
  it('lets operations see a case of any account', () => {
    expect(maySeeCase(operator, stark.id)).toBe(true);
    expect(maySeeCase(operator, otherAccount.id)).toBe(true);
  });

  it.each(accountCallers())('lets %s see a case of its own account', (_, caller) => {
    expect(maySeeCase(caller(), stark.id)).toBe(true);
  });

  it.each(accountCallers())('hides from %s a case of another account', (_, caller) => {
    expect(maySeeCase(caller(), otherAccount.id)).toBe(false);
  });
});

describe('isVisibleToReporter', () => {
  it.each<[string, Parameter, boolean]>([
    ['marked visible', { id: 'PAR-1', constraints: { visibleToReporter: true } }, true],
    ['without constraints', { id: 'PAR-1' }, true],
    ['with constraints that do not say', { id: 'PAR-1', constraints: {} }, true],
    ['marked hidden', { id: 'PAR-1', constraints: { visibleToReporter: false } }, false],
  ])('takes a parameter %s as %s', (_, parameter, visible) => {
    expect(isVisibleToReporter(parameter)).toBe(visible);
  });
});

describe('isEventVisibleTo', () => {
  describe('the operations audience', () => {
    it.each(everyKindOfEvent())('sees %s', (_, event) => {
      expect(isEventVisibleTo('operations', entryOf(event()))).toBe(true);
    });
  });

  describe('the account audience', () => {
    it('never sees an awaiting change', () => {
      expect(isEventVisibleTo('account', entryOf(awaitingChanged(true)))).toBe(false);
      expect(isEventVisibleTo('account', entryOf(awaitingChanged(false)))).toBe(false);
    });

    it('does not see a parameter change that touches only hidden parameters', () => {
      expect(isEventVisibleTo('account', entryOf(parametersChanged(internalScore(8))))).toBe(false);
    });

    it('sees a parameter change that touches a visible parameter among hidden ones', () => {
      const event = parametersChanged(internalScore(8), priority('Priority 2'));
      expect(isEventVisibleTo('account', entryOf(event))).toBe(true);
    });

    it('sees a parameter change of a parameter without constraints', () => {
      expect(isEventVisibleTo('account', entryOf(parametersChanged(segment)))).toBe(true);
    });

    it.each(eventsEveryAudienceSees())('sees %s', (_, event) => {
      expect(isEventVisibleTo('account', entryOf(event()))).toBe(true);
    });
  });
});

describe('authorizeCommand', () => {
  describe('an operations user', () => {
    it.each(everyCommand())('may %s', (_, command) => {
      given(theCase).when(operator, command()).thenAllowed();
    });
  });

  describe.each(accountCallers())('%s, on a case of its account', (_, caller) => {
    it.each([
      ['transfer', () => transferCase(billing), 'transfer'],
      ['assign', () => assignCase(will), 'assign'],
      ['unassign', () => assignCase(null), 'assign'],
      ['query', () => queryCase(prompt), 'query'],
      ['set awaiting', () => setAwaiting(true), 'set awaiting on'],
    ])('may not %s', (_, command, verb) => {
      given(theCase)
        .when(caller(), command())
        .thenForbidden(`Only operations users may ${verb} a case.`);
    });

    it.each([
      ['answer a query', () => processCase()],
      ['complete', () => completeCase()],
      ['change a visible parameter', () => changeParameters(priority('Priority 2'))],
      ['change a parameter without constraints', () => changeParameters(region)],
      ['add a parameter without constraints', () => changeParameters(segment)],
      ['PUT a visible parameter', () => updateCase({ parameters: [priority('Priority 2')] })],
    ])('may %s', (_, command) => {
      given(theCase).when(caller(), command()).thenAllowed();
    });

    describe('with a PUT', () => {
      it.each([
        ['queue', 'to another queue', { queue: billing }],
        ['assignee', 'to someone', { assignee: will }],
        ['assignee', 'to nobody', { assignee: null }],
        ['awaiting', 'even to false', { awaiting: false }],
      ])('may not change %s %s', (field, _, data) => {
        given(theCase)
          .when(caller(), updateCase(data))
          .thenForbidden(`Only operations users may change ${field}.`);
      });

      it('names every operations-only field it changes', () => {
        given(theCase)
          .when(caller(), updateCase({ queue: billing, assignee: will, awaiting: true }))
          .thenForbidden('Only operations users may change queue, assignee, awaiting.');
      });
    });

    describe.each(parameterCommands())('changing parameters with %s', (_, command) => {
      it.each<[string, Parameter]>([
        [
          'marked visible in the change',
          { ...internalScore(8), constraints: { visibleToReporter: true } },
        ],
        ['without constraints in the change', { id: internalScore(8).id, value: 8 }],
        [
          'with empty constraints in the change',
          { id: internalScore(8).id, constraints: {}, value: 8 },
        ],
        ['still marked hidden', internalScore(8)],
      ])('may not touch an existing hidden parameter %s', (_, change) => {
        given(theCase)
          .when(caller(), command(change))
          .thenForbidden(hiddenParametersRefused(internalScore(8).id));
      });

      it('may not create a parameter hidden from the reporter', () => {
        given(theCase)
          .when(caller(), command(newHidden))
          .thenForbidden(hiddenParametersRefused(newHidden.id));
      });

      it('may not hide a visible parameter', () => {
        const hiding = { ...priority('Priority 1'), constraints: { visibleToReporter: false } };
        given(theCase)
          .when(caller(), command(hiding))
          .thenForbidden(hiddenParametersRefused(hiding.id));
      });

      it('names only the hidden parameters among the changes', () => {
        given(theCase)
          .when(
            caller(),
            command(priority('Priority 2'), { id: internalScore(8).id, value: 8 }, newHidden),
          )
          .thenForbidden(hiddenParametersRefused(`${internalScore(8).id}, ${newHidden.id}`));
      });
    });
  });
});

describe('authorizeCreate', () => {
  it('lets operations create on any account, on behalf of anyone', () => {
    expect(() => authorizeCreate(operator, otherAccount.id, 'USR-9999-9999')).not.toThrow();
  });

  describe.each(accountCallers())('%s', (_, caller) => {
    it('may create on its own account as its own reporter', () => {
      expect(() => authorizeCreate(caller(), stark.id, caller().id)).not.toThrow();
    });

    it('may not create on another account, and is told so', () => {
      const act = () => authorizeCreate(caller(), otherAccount.id, caller().id);
      expectForbidden(act, 'Clients and vendors may only create cases on their own account.');
    });

    it('may not create on behalf of another reporter, and is told so', () => {
      const act = () => authorizeCreate(caller(), stark.id, 'USR-9999-9999');
      expectForbidden(act, 'Clients and vendors may only create cases as their own reporter.');
    });

    it('is told about the account first when both are wrong', () => {
      const act = () => authorizeCreate(caller(), otherAccount.id, 'USR-9999-9999');
      expectForbidden(act, 'Clients and vendors may only create cases on their own account.');
    });
  });
});

// Fixtures

const operator: Caller = { id: will.id, accountId: 'ACC-0000-0001', accountType: 'operations' };
const client: Caller = { id: jane.id, accountId: stark.id, accountType: 'client' };
const vendor: Caller = { id: 'USR-7000-0001', accountId: stark.id, accountType: 'vendor' };
const otherAccount = { id: 'ACC-1111-2222', name: 'Wayne Enterprises' };

function accountCallers(): [string, () => Caller][] {
  return [
    ['a client', () => client],
    ['a vendor', () => vendor],
  ];
}

const newHidden: Parameter = {
  id: 'PAR-9000-0002',
  name: 'Fraud flag',
  constraints: { visibleToReporter: false },
  value: true,
};

/** Stark's case: Priority (visible), Region (no constraints), the internal score (hidden). */
const theCase = [
  caseCreated({ parameters: [priority('Priority 1'), region, internalScore(7)] }),
].reduce(evolve, initialState) as ExistingCase;

function parameterCommands(): [string, (...parameters: Parameter[]) => CaseCommand][] {
  return [
    ['ChangeParameters', (...parameters) => changeParameters(...parameters)],
    ['a PUT', (...parameters) => updateCase({ parameters })],
  ];
}

function everyCommand(): [string, () => CaseCommand][] {
  return [
    ['transfer', () => transferCase(billing)],
    ['assign', () => assignCase(will)],
    ['query', () => queryCase(prompt)],
    ['set awaiting', () => setAwaiting(true)],
    ['answer a query', () => processCase()],
    ['complete', () => completeCase()],
    ['change a hidden parameter', () => changeParameters(internalScore(8), newHidden)],
    [
      'PUT every field and a hidden parameter',
      () =>
        updateCase({
          queue: billing,
          assignee: null,
          awaiting: true,
          parameters: [internalScore(8)],
        }),
    ],
  ];
}

function eventsEveryAudienceSees(): [string, () => CaseEvent][] {
  return [
    ['a creation', () => caseCreated({ parameters: [internalScore(7)] })],
    ['a transfer', () => transferred],
    ['an assignment', () => assigned(will)],
    ['a query', () => queried],
  ];
}

function everyKindOfEvent(): [string, () => CaseEvent][] {
  return [
    ...eventsEveryAudienceSees(),
    ['an awaiting change', () => awaitingChanged(true)],
    ['a change of a hidden parameter', () => parametersChanged(internalScore(8))],
  ];
}

const entryOf = (event: CaseEvent) => history(event)[0]!;

const hiddenParametersRefused = (ids: string) =>
  `Parameters not visible to the reporter can only be changed by operations users: ${ids}.`;

/** Asserts the class and the exact message, so a refusal for another reason does not pass. */
function expectForbidden(act: () => void, message: string): void {
  expect(act).toThrow(CommandForbidden);
  expect(act).toThrow(new CommandForbidden(message));
}

function given(state: ExistingCase) {
  return {
    when(caller: Caller, command: CaseCommand) {
      const act = () => authorizeCommand(caller, command, state);
      return {
        thenAllowed: () => expect(act).not.toThrow(),
        thenForbidden: (message: string) => expectForbidden(act, message),
      };
    },
  };
}
