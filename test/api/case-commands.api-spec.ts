import { assigned, completed, queried } from '../cli/support/case-event.fixtures';
import {
  apiSpecification,
  existingCase,
  expectNewEvents,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
} from '../support/api-spec';
import {
  ASSIGNEE,
  OTHER_ASSIGNEE,
  OTHER_QUEUE,
  QUEUE,
  VISIBLE_PARAMETER,
} from '../support/case.fixtures';
import { aCaseId, historyOf, opened } from './support/stored-case-events';

describe('case commands by state (API spec)', () => {
  const given = apiSpecification();

  describe('a completed case', () => {
    it.each([
      ['transfer', { queue: OTHER_QUEUE }],
      ['transfer', { queue: QUEUE }],
      ['assign', { assignee: OTHER_ASSIGNEE }],
      ['query', {}],
      ['process', undefined],
      ['complete', undefined],
    ])('refuses %s with 409 and appends nothing', (action, body) => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id), completed)))
        .when((request) => request.post(`/cases/${id}/${action}`).send(body))
        .then(expectProblem(409, /Completed/), expectNoNewEvents());
    });

    it('refuses a PUT with 409 and appends nothing', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id), completed)))
        .when((request) => request.put(`/cases/${id}`).send({ awaiting: true }))
        .then(expectProblem(409, /Completed/), expectNoNewEvents());
    });
  });

  describe('a querying case', () => {
    it('refuses another query with 409 and appends nothing', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id), queried('Which contract?'))))
        .when((request) => request.post(`/cases/${id}/query`).send({ queryPrompt: 'Again?' }))
        .then(expectProblem(409, /already Querying/), expectNoNewEvents());
    });

    it('goes back to Processing on process', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id), queried())))
        .when((request) => request.post(`/cases/${id}/process`))
        .then(
          expectResponse(200, {
            body: { id, status: 'Processing', revision: 3 },
            headers: { etag: 'W/"3"' },
          }),
          expectNewEvents(id, [{ type: 'CaseResumed', data: {} }]),
        );
    });
  });

  describe('a processing case', () => {
    it('refuses process with 409 and appends nothing', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id))))
        .when((request) => request.post(`/cases/${id}/process`))
        .then(expectProblem(409, /only a Querying case/), expectNoNewEvents());
    });

    it('is queried with the prompt, recording who asked', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id))))
        .when((request) =>
          request
            .post(`/cases/${id}/query`)
            .set('X-Correlation-Id', 'corr-query-1')
            .send({ queryPrompt: 'Which contract?' }),
        )
        .then(
          expectResponse(200, { body: { status: 'Querying', revision: 2 } }),
          expectNewEvents(id, [
            {
              type: 'CaseQueried',
              data: { queryPrompt: 'Which contract?' },
              metadata: {
                schemaVersion: 3,
                actor: { id: 'USR-1000-0001', accountType: 'operations' },
                $correlationId: 'corr-query-1',
              },
            },
          ]),
        );
    });

    it('answers a transfer to the queue it is in with 200, unchanged, appending nothing', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id))))
        .when((request) => request.post(`/cases/${id}/transfer`).send({ queue: QUEUE }))
        .then(
          expectResponse(200, { body: { revision: 1, queue: QUEUE }, headers: { etag: 'W/"1"' } }),
          expectNoNewEvents(),
        );
    });

    it('answers an assign of the current assignee with 200, unchanged, appending nothing', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id), assigned(ASSIGNEE))))
        .when((request) => request.post(`/cases/${id}/assign`).send({ assignee: ASSIGNEE }))
        .then(
          expectResponse(200, {
            body: { revision: 2, assignee: ASSIGNEE },
            headers: { etag: 'W/"2"' },
          }),
          expectNoNewEvents(),
        );
    });

    // Parameters are compared as JSON: objects built by another parser (or realm) than the
    // stored ones are still the same parameter.
    it('answers a PUT of the current awaiting value and parameters with 200, appending nothing', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id))))
        .when((request) =>
          request.put(`/cases/${id}`).send({ awaiting: false, parameters: [VISIBLE_PARAMETER] }),
        )
        .then(expectResponse(200, { body: { revision: 1, awaiting: false } }), expectNoNewEvents());
    });

    it('is transferred to another queue, recording where from', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id))))
        .when((request) => request.post(`/cases/${id}/transfer`).send({ queue: OTHER_QUEUE }))
        .then(
          expectResponse(200, { body: { revision: 2, queue: OTHER_QUEUE } }),
          expectNewEvents(id, [
            { type: 'CaseTransferred', data: { from: QUEUE, to: OTHER_QUEUE } },
          ]),
        );
    });
  });

  describe('If-Match', () => {
    it('refuses a command on a case that has moved on with 412 and appends nothing', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id), queried())))
        .when((request) =>
          request.post(`/cases/${id}/assign`).set('If-Match', 'W/"1"').send({ assignee: ASSIGNEE }),
        )
        .then(expectProblem(412, /revision 2/), expectNoNewEvents());
    });

    it('lets a command on the current revision through', () => {
      const id = aCaseId();
      return given(existingCase(id, historyOf(opened(id), queried())))
        .when((request) =>
          request.post(`/cases/${id}/assign`).set('If-Match', 'W/"2"').send({ assignee: ASSIGNEE }),
        )
        .then(
          expectResponse(200, { body: { assignee: ASSIGNEE }, headers: { etag: 'W/"3"' } }),
          expectNewEvents(id, [
            { type: 'CaseAssigned', data: { assignee: ASSIGNEE, previousAssignee: null } },
          ]),
        );
    });
  });
});
