import {
  apiSpecification,
  existingCase,
  expectNewEvents,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
} from '../support/api-spec';
import { HIDDEN_PARAMETER, OTHER_QUEUE, VISIBLE_PARAMETER } from '../support/case.fixtures';
import { aCaseId, historyOf, opened } from './support/stored-case-events';

describe('who may see and change a case (API spec)', () => {
  const given = apiSpecification();

  describe("another account's case", () => {
    it('reads as missing: 404', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id))))
        .when((request) => request.get(`/cases/${id}`).as('otherClient'))
        .then(expectProblem(404), expectNoNewEvents());
    });

    it.each([
      ['a PUT', 'PUT', '', { parameters: [VISIBLE_PARAMETER] }],
      ['a completion', 'POST', '/complete', undefined],
      ['a transfer', 'POST', '/transfer', { queue: OTHER_QUEUE }],
    ])('refuses %s as missing: 404, appending nothing', (_name, method, action, body) => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id))))
        .when((request) => {
          const path = `/cases/${id}${action}`;
          return (method === 'PUT' ? request.put(path) : request.post(path))
            .as('otherClient')
            .send(body);
        })
        .then(expectProblem(404), expectNoNewEvents());
    });
  });

  describe("a client changing its own case's parameters", () => {
    it('changes a parameter visible to the reporter', () => {
      const id = aCaseId();
      const changed = { ...VISIBLE_PARAMETER, value: 'Priority 3' };
      return given(existingCase(id, historyOf(opened(id))))
        .when((request) =>
          request
            .put(`/cases/${id}`)
            .as('client')
            .send({ parameters: [changed] }),
        )
        .then(
          expectResponse(200, { body: { parameters: [changed] } }),
          expectNewEvents(id, [{ type: 'CaseParametersChanged', data: { parameters: [changed] } }]),
        );
    });

    it.each([
      ['claiming it is visible', { constraints: { visibleToReporter: true } }],
      ['without constraints', {}],
      ['keeping it hidden', { constraints: { visibleToReporter: false } }],
    ])('may not touch a hidden parameter, %s: 403, appending nothing', (_name, constraints) => {
      const id = aCaseId();
      const { id: hiddenId, name, scope, phase } = HIDDEN_PARAMETER;
      const touched = { id: hiddenId, name, scope, phase, value: 0, ...constraints };
      return given(existingCase(id, historyOf(opened(id))))
        .when((request) =>
          request
            .put(`/cases/${id}`)
            .as('client')
            .send({ parameters: [touched] }),
        )
        .then(expectProblem(403, new RegExp(hiddenId)), expectNoNewEvents());
    });

    it('may not add a parameter hidden from the reporter: 403, appending nothing', () => {
      const id = aCaseId();
      const hidden = { ...HIDDEN_PARAMETER, id: 'PAR-9999-0002' };
      return given(existingCase(id, historyOf(opened(id))))
        .when((request) =>
          request
            .put(`/cases/${id}`)
            .as('client')
            .send({ parameters: [hidden] }),
        )
        .then(expectProblem(403, /PAR-9999-0002/), expectNoNewEvents());
    });
  });
});
