/**
 * Realistic case histories for the load benchmark: a CaseCreated, then transfers, assignments,
 * parameter changes and awaiting flips, each with the metadata the command pipeline writes.
 */
import { randomUUID } from 'node:crypto';
import { CASE_EVENT_SCHEMA_VERSION, type CaseEvent } from '../../src/cases/domain/case.events';
import type { CaseEventMetadata } from '../../src/cases/domain/case.history';
import type { EventToAppend } from '../../src/event-store/event-store.port';
import { DEV_PRINCIPALS } from '../../src/identity/dev-tokens';
import {
  ASSIGNEE,
  CLIENT_ACCOUNT,
  CLIENT_REPORTER,
  HIDDEN_PARAMETER,
  OTHER_ASSIGNEE,
  OTHER_QUEUE,
  QUEUE,
  VISIBLE_PARAMETER,
} from '../../test/support/case.fixtures';

const operator = DEV_PRINCIPALS.operations;

/** `count` events of one case, in order, ready to append. */
export function caseHistoryEvents(
  caseId: string,
  count: number,
  start = Date.UTC(2026, 0, 1),
  { idempotencyKeys = false }: { idempotencyKeys?: boolean } = {},
): EventToAppend[] {
  const events: EventToAppend[] = [];
  let queue = QUEUE;
  let assignee: typeof ASSIGNEE | null = null;
  let awaiting = false;
  for (let i = 0; i < count; i++) {
    const event = i === 0 ? created(caseId) : next(i);
    events.push({
      id: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: {
        ...metadata(start + i * 60_000),
        // Every command sent with its own key: the largest idempotency index a case can have.
        ...(idempotencyKeys ? { idempotencyKey: randomUUID(), requestHash: randomUUID() } : {}),
      },
    });
  }
  return events;

  function next(i: number): CaseEvent {
    switch (i % 4) {
      case 1: {
        const to = queue.id === QUEUE.id ? OTHER_QUEUE : QUEUE;
        const event: CaseEvent = { type: 'CaseTransferred', data: { from: queue, to } };
        queue = to;
        return event;
      }
      case 2: {
        const to = assignee?.id === ASSIGNEE.id ? OTHER_ASSIGNEE : ASSIGNEE;
        const event: CaseEvent = {
          type: 'CaseAssigned',
          data: { assignee: to, previousAssignee: assignee },
        };
        assignee = to;
        return event;
      }
      case 3:
        return {
          type: 'CaseParametersChanged',
          data: { parameters: [{ ...VISIBLE_PARAMETER, value: `Priority ${(i % 3) + 1}` }] },
        };
      default:
        awaiting = !awaiting;
        return { type: 'CaseAwaitingChanged', data: { awaiting } };
    }
  }
}

function created(caseId: string): CaseEvent {
  return {
    type: 'CaseCreated',
    data: {
      caseId,
      chat: { id: `CHT-${caseId.slice(4)}`, type: 'case' },
      queue: QUEUE,
      account: CLIENT_ACCOUNT,
      reporter: CLIENT_REPORTER,
      assignee: null,
      parameters: [VISIBLE_PARAMETER, HIDDEN_PARAMETER],
      openingMessage: 'Our onboarding form keeps failing on step 3.',
    },
  };
}

function metadata(at: number): CaseEventMetadata {
  return {
    schemaVersion: CASE_EVENT_SCHEMA_VERSION,
    occurredAt: new Date(at).toISOString(),
    actor: {
      id: operator.id,
      name: operator.name,
      accountId: operator.accountId,
      accountName: operator.accountName,
      accountType: operator.accountType,
    },
    $correlationId: randomUUID(),
    $causationId: randomUUID(),
  };
}
