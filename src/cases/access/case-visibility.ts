import type { CaseEvent } from '../domain/case.events';
import type { CaseView } from '../domain/case.view';
import { isVisibleToReporter, type Audience } from './case-access.policy';

/** The Case resource as one audience sees it: `awaiting` is absent for account members. */
export type PresentedCase = Omit<CaseView, 'awaiting'> & { awaiting?: boolean };

/**
 * A full view narrowed for an audience. The view's audit object must already be the one this
 * audience may see (the case fold keeps one per audience); this removes the fields.
 */
export function narrowCaseView(view: CaseView, audience: Audience): PresentedCase {
  if (audience === 'operations') return view;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { awaiting, audit, ...rest } = view;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { awaitingChanged, ...visibleAudit } = audit;
  return { ...rest, parameters: view.parameters.filter(isVisibleToReporter), audit: visibleAudit };
}

/** An event's data as an audience may read it in the audit trail. */
export function eventDataFor(event: CaseEvent, audience: Audience): unknown {
  if (audience === 'operations') return event.data;
  switch (event.type) {
    case 'CaseCreated':
    case 'CaseParametersChanged':
      return { ...event.data, parameters: event.data.parameters.filter(isVisibleToReporter) };
    default:
      return event.data;
  }
}
