import type { CaseCommand } from '../../../src/cases/domain/case.commands';
import {
  CaseAlreadyExists,
  CaseNotFound,
  CommandRefused,
} from '../../../src/cases/domain/case.errors';
import {
  ada,
  assignCase,
  assigned,
  awaitingChanged,
  billing,
  caseCreated,
  changeParameters,
  completeCase,
  completed,
  createCase,
  onboarding,
  opened,
  openedWith,
  parametersChanged,
  priority,
  processCase,
  prompt,
  queried,
  queryCase,
  region,
  segment,
  setAwaiting,
  transferCase,
  updateCase,
  will,
} from './case.fixtures';
import { given } from './decider.spec-helper';

describe('no case yet', () => {
  it('creates the case with everything it starts with', () => {
    given()
      .when(createCase({ assignee: will, parameters: [priority('Priority 1')] }))
      .then(caseCreated({ assignee: will, parameters: [priority('Priority 1')] }));
  });

  it('creates an unassigned case when no assignee is given', () => {
    given()
      .when(createCase())
      .then(caseCreated({ assignee: null }));
  });

  it('creates a case without parameters when none are given', () => {
    given()
      .when(createCase())
      .then(caseCreated({ parameters: [] }));
  });

  it('carries the opening chat message', () => {
    given()
      .when(createCase({ openingMessage: 'Our onboarding form is attached.' }))
      .then(caseCreated({ openingMessage: 'Our onboarding form is attached.' }));
  });

  it('keeps the last of two parameters with the same id', () => {
    given()
      .when(createCase({ parameters: [priority('Priority 1'), region, priority('Priority 2')] }))
      .then(caseCreated({ parameters: [priority('Priority 2'), region] }));
  });

  it.each(commandsOnAnExistingCase())('refuses %s with CaseNotFound', (_, command) => {
    given()
      .when(command())
      .thenThrows(CaseNotFound, /CAS-1234-5678-9012 was not found/);
  });
});

describe('a processing case', () => {
  it('refuses a second creation', () => {
    given(opened)
      .when(createCase())
      .thenThrows(CaseAlreadyExists, /already exists/);
  });

  it('transfers to another queue, naming both queues', () => {
    given(opened)
      .when(transferCase(billing))
      .then({ type: 'CaseTransferred', data: { from: onboarding, to: billing } });
  });

  it('does nothing when transferred to the queue it is in', () => {
    given(opened)
      .when(transferCase({ id: onboarding.id }))
      .thenNothing();
  });

  it('assigns an unassigned case', () => {
    given(opened)
      .when(assignCase(will))
      .then({ type: 'CaseAssigned', data: { assignee: will, previousAssignee: null } });
  });

  it('reassigns, naming the previous assignee', () => {
    given(opened, assigned(will))
      .when(assignCase(ada))
      .then({ type: 'CaseAssigned', data: { assignee: ada, previousAssignee: will } });
  });

  it('does nothing when assigned to its current assignee', () => {
    given(opened, assigned(will)).when(assignCase(will)).thenNothing();
  });

  it('unassigns, naming the previous assignee', () => {
    given(opened, assigned(will))
      .when(assignCase(null))
      .then({ type: 'CaseUnassigned', data: { previousAssignee: will } });
  });

  it('does nothing when an unassigned case is unassigned', () => {
    given(opened).when(assignCase(null)).thenNothing();
  });

  it('is queried with a prompt', () => {
    given(opened)
      .when(queryCase(prompt))
      .then({ type: 'CaseQueried', data: { queryPrompt: prompt } });
  });

  it('is queried without a prompt', () => {
    given(opened)
      .when(queryCase())
      .then({ type: 'CaseQueried', data: { queryPrompt: null } });
  });

  it('refuses to be processed, as it has no query to answer', () => {
    given(opened)
      .when(processCase())
      .thenThrows(CommandRefused, /only a Querying case/);
  });

  it('completes', () => {
    given(opened).when(completeCase()).then(completed);
  });

  it('sets the awaiting flag', () => {
    given(opened).when(setAwaiting(true)).then(awaitingChanged(true));
  });

  it('does nothing when the awaiting flag already has that value', () => {
    given(opened).when(setAwaiting(false)).thenNothing();
  });

  it('replaces a parameter with a known id', () => {
    given(openedWith([priority('Priority 1'), region]))
      .when(changeParameters(priority('Priority 2')))
      .then(parametersChanged(priority('Priority 2')));
  });

  it('adds a parameter with a new id', () => {
    given(openedWith([priority('Priority 1')]))
      .when(changeParameters(region))
      .then(parametersChanged(region));
  });

  it('names only the changed parameters in the event', () => {
    given(openedWith([priority('Priority 1'), region]))
      .when(changeParameters(priority('Priority 1'), region, segment))
      .then(parametersChanged(segment));
  });

  it('does nothing when every parameter keeps its value', () => {
    given(openedWith([priority('Priority 1'), region]))
      .when(changeParameters(region, priority('Priority 1')))
      .thenNothing();
  });

  it('keeps the last of two changes to the same parameter', () => {
    given(openedWith([priority('Priority 1')]))
      .when(changeParameters(priority('Priority 2'), priority('Priority 3')))
      .then(parametersChanged(priority('Priority 3')));
  });

  describe('updated with a PUT', () => {
    it('appends one event per change, in the order transferred, assigned, awaiting, parameters', () => {
      given(opened)
        .when(
          updateCase({
            parameters: [priority('Priority 2')],
            awaiting: true,
            assignee: will,
            queue: billing,
          }),
        )
        .then(
          { type: 'CaseTransferred', data: { from: onboarding, to: billing } },
          { type: 'CaseAssigned', data: { assignee: will, previousAssignee: null } },
          awaitingChanged(true),
          parametersChanged(priority('Priority 2')),
        );
    });

    it('unassigns when the assignee is null', () => {
      given(opened, assigned(will))
        .when(updateCase({ assignee: null, awaiting: true }))
        .then({ type: 'CaseUnassigned', data: { previousAssignee: will } }, awaitingChanged(true));
    });

    it('leaves out the parts that change nothing', () => {
      given(opened, assigned(will))
        .when(updateCase({ queue: onboarding, assignee: will, awaiting: true }))
        .then(awaitingChanged(true));
    });

    it('does nothing when every part changes nothing', () => {
      given(openedWith([priority('Priority 1')]), assigned(will))
        .when(allNoOpUpdate())
        .thenNothing();
    });

    it('does nothing when it names nothing', () => {
      given(opened).when(updateCase({})).thenNothing();
    });
  });
});

describe('a querying case', () => {
  it('refuses a second creation', () => {
    given(opened, queried)
      .when(createCase())
      .thenThrows(CaseAlreadyExists, /already exists/);
  });

  it('refuses a second query', () => {
    given(opened, queried)
      .when(queryCase(prompt))
      .thenThrows(CommandRefused, /already Querying/);
  });

  it('is processed once the query is answered', () => {
    given(opened, queried).when(processCase()).then({ type: 'CaseResumed', data: {} });
  });

  it('completes', () => {
    given(opened, queried).when(completeCase()).then(completed);
  });

  it('transfers to another queue', () => {
    given(opened, queried)
      .when(transferCase(billing))
      .then({ type: 'CaseTransferred', data: { from: onboarding, to: billing } });
  });

  it('is assigned', () => {
    given(opened, queried)
      .when(assignCase(will))
      .then({ type: 'CaseAssigned', data: { assignee: will, previousAssignee: null } });
  });

  it('is unassigned', () => {
    given(opened, queried, assigned(will))
      .when(assignCase(null))
      .then({ type: 'CaseUnassigned', data: { previousAssignee: will } });
  });

  it('sets the awaiting flag', () => {
    given(opened, queried).when(setAwaiting(true)).then(awaitingChanged(true));
  });

  it('changes parameters', () => {
    given(opened, queried).when(changeParameters(region)).then(parametersChanged(region));
  });

  it('is updated with a PUT', () => {
    given(opened, queried)
      .when(updateCase({ awaiting: true, queue: billing }))
      .then(
        { type: 'CaseTransferred', data: { from: onboarding, to: billing } },
        awaitingChanged(true),
      );
  });
});

describe('a completed case', () => {
  it('refuses a second creation', () => {
    given(opened, completed)
      .when(createCase())
      .thenThrows(CaseAlreadyExists, /already exists/);
  });

  it.each(commandsOnAnExistingCase())('refuses %s', (_, command) => {
    given(openedWith([priority('Priority 1')]), assigned(will), completed)
      .when(command())
      .thenThrows(CommandRefused, /is Completed/);
  });

  it.each(noOpCommands())('refuses %s, although it would change nothing', (_, command) => {
    given(openedWith([priority('Priority 1')]), assigned(will), completed)
      .when(command())
      .thenThrows(CommandRefused, /is Completed/);
  });

  it('refuses commands when completed from Querying', () => {
    given(opened, queried, completed)
      .when(processCase())
      .thenThrows(CommandRefused, /is Completed/);
  });
});

// Cases

/** Against a case in onboarding, assigned to Will, not awaiting, with Priority 1. */
const allNoOpUpdate = () =>
  updateCase({
    queue: onboarding,
    assignee: will,
    awaiting: false,
    parameters: [priority('Priority 1')],
  });

/** Every command other than creation, each a change on a case in onboarding assigned to Will. */
function commandsOnAnExistingCase(): [string, () => CaseCommand][] {
  return [
    ['TransferCase', () => transferCase(billing)],
    ['AssignCase', () => assignCase(ada)],
    ['AssignCase to nobody', () => assignCase(null)],
    ['QueryCase', () => queryCase(prompt)],
    ['ProcessCase', () => processCase()],
    ['CompleteCase', () => completeCase()],
    ['SetAwaiting', () => setAwaiting(true)],
    ['ChangeParameters', () => changeParameters(region)],
    ['UpdateCase', () => updateCase({ queue: billing, awaiting: true })],
  ];
}

/** Commands that would change nothing on an open case in onboarding, assigned to Will, with Priority 1. */
function noOpCommands(): [string, () => CaseCommand][] {
  return [
    ['TransferCase to its own queue', () => transferCase(onboarding)],
    ['AssignCase to its assignee', () => assignCase(will)],
    ['SetAwaiting to its value', () => setAwaiting(false)],
    ['ChangeParameters with unchanged values', () => changeParameters(priority('Priority 1'))],
    ['UpdateCase whose parts change nothing', () => allNoOpUpdate()],
    ['UpdateCase that names nothing', () => updateCase({})],
  ];
}
