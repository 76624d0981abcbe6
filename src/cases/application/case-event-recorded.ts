import type { CaseHistoryEntry } from '../domain/case.history';

/** Published on the EventBus for each event, only once the store has acknowledged the append. */
export class CaseEventRecorded {
  constructor(
    readonly caseId: string,
    readonly entry: CaseHistoryEntry,
  ) {}
}
