import { CASE_EVENT_SCHEMA_VERSION, type CaseQueried } from '../domain/case.events';
import { UpcasterRegistry, type Upcaster } from './upcaster.registry';

/**
 * schemaVersion 0 (the first import from the helpdesk platform) stored a query's message as
 * `{prompt}`; version 1 names it `queryPrompt`, as the Case resource does.
 */
export const caseQueriedPromptRenamed: Upcaster = {
  type: 'CaseQueried',
  fromVersion: 0,
  reason: 'v0 stored the query message as `prompt`; v1 names it `queryPrompt`.',
  upcast(data): CaseQueried['data'] {
    const { prompt } = (data ?? {}) as { prompt?: string | null };
    return { queryPrompt: prompt ?? null };
  },
};

/** Every upcaster of the case events, in the order they were introduced. Add the next here. */
export const caseEventUpcasters = new UpcasterRegistry(CASE_EVENT_SCHEMA_VERSION, [
  caseQueriedPromptRenamed,
]);
