import { transferred, unassigned } from '../cli/support/case-event.fixtures';
import type { ApiRequest } from '../support/api-request';
import {
  apiSpecification,
  earlierRequest,
  existingCase,
  expectNewEvents,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
  laterEvents,
} from '../support/api-spec';
import { OTHER_OPERATOR } from '../support/callers';
import { ASSIGNEE, OTHER_QUEUE, QUEUE, VISIBLE_PARAMETER } from '../support/case.fixtures';
import { aCaseId, opened, recorded } from './support/stored-case-events';

describe('Idempotency-Key on an existing case (API spec)', () => {
  const given = apiSpecification();
  let key: string;
  beforeEach(() => {
    key = `key-${crypto.randomUUID()}`;
  });

  /** A case that operations (USR-1000-0001) already transferred with Idempotency-Key `key`. */
  const transferredWithKey = (id: string) =>
    existingCase(id, [
      ...recorded([opened(id)]),
      ...recorded([transferred(QUEUE, OTHER_QUEUE)], {
        by: 'operations',
        idempotencyKey: key,
        requestHash: 'hash-of-the-transfer-request',
      }),
    ]);

  it("applies another operations user's PUT that reuses the key: the key is per caller", () => {
    const id = aCaseId();
    return given(transferredWithKey(id))
      .when((request) =>
        request
          .put(`/cases/${id}`)
          .as('otherOperator')
          .set('Idempotency-Key', key)
          .send({ assignee: ASSIGNEE }),
      )
      .then(
        expectResponse(200, { body: { revision: 3, queue: OTHER_QUEUE, assignee: ASSIGNEE } }),
        expectNewEvents(id, [
          {
            type: 'CaseAssigned',
            data: { assignee: ASSIGNEE, previousAssignee: null },
            metadata: { actor: { id: OTHER_OPERATOR.id }, idempotencyKey: key },
          },
        ]),
      );
  });

  it("applies the case's client's PUT that reuses the key", () => {
    const id = aCaseId();
    const changed = { ...VISIBLE_PARAMETER, value: 'Priority 2' };
    return given(transferredWithKey(id))
      .when((request) =>
        request
          .put(`/cases/${id}`)
          .as('client')
          .set('Idempotency-Key', key)
          .send({ parameters: [changed] }),
      )
      .then(
        expectResponse(200, { body: { revision: 3, parameters: [changed] } }),
        expectNewEvents(id, [
          {
            type: 'CaseParametersChanged',
            data: { parameters: [changed] },
            metadata: { actor: { id: 'USR-2000-0001' }, idempotencyKey: key },
          },
        ]),
      );
  });

  it('refuses the same caller reusing the key for another request with 422, appending nothing', () => {
    const id = aCaseId();
    return given(transferredWithKey(id))
      .when((request) =>
        request.put(`/cases/${id}`).set('Idempotency-Key', key).send({ assignee: ASSIGNEE }),
      )
      .then(expectProblem(422, /different request/), expectNoNewEvents());
  });

  it("replays the same caller's retry with the first answer, even after later changes", () => {
    const id = aCaseId();
    const assign = (request: ApiRequest) =>
      request.post(`/cases/${id}/assign`).set('Idempotency-Key', key).send({ assignee: ASSIGNEE });
    return given(
      existingCase(id, recorded([opened(id)])),
      earlierRequest(assign),
      laterEvents(id, recorded([unassigned(ASSIGNEE)])),
    )
      .when(assign)
      .then(
        expectResponse(200, {
          body: { revision: 2, assignee: ASSIGNEE },
          headers: { etag: 'W/"2"' },
        }),
        expectNoNewEvents(),
      );
  });
});
