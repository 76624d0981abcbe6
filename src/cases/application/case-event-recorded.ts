import { Logger } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import type { CaseHistoryEntry } from '../domain/case.history';

/** Published on the EventBus for each event, only once the store has acknowledged the append. */
export class CaseEventRecorded {
  constructor(
    readonly caseId: string,
    readonly entry: CaseHistoryEntry,
  ) {}
}

/**
 * One log line per recorded event, joined to its request by the correlation id: an operator
 * following a request in the logs sees what it changed without reading the store.
 */
@EventsHandler(CaseEventRecorded)
export class CaseEventLog implements IEventHandler<CaseEventRecorded> {
  private readonly logger = new Logger('CaseEvents');

  handle({ caseId, entry }: CaseEventRecorded): void {
    this.logger.log({
      msg: 'case event recorded',
      caseId,
      revision: entry.revision,
      type: entry.event.type,
      correlationId: entry.metadata.$correlationId,
    });
  }
}
