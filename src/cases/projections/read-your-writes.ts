import { Logger } from '@nestjs/common';
import type { CaseEventStream } from '../application/case-event-stream';
import type { CaseProjection } from './case-projection';

/**
 * Lists come from read models that follow the store a little behind. A caller who has just
 * sent a command and then lists expects to see it, so before a list is read this waits, for at
 * most `timeoutMs`, until the read models have passed the last event this instance appended.
 * On timeout (or a stopped projection) the list answers from the read models as they are:
 * slightly stale rather than not at all; `/health/ready` reports a stopped projection.
 */
export class ReadYourWrites {
  private readonly logger = new Logger(ReadYourWrites.name);

  constructor(
    private readonly stream: CaseEventStream,
    private readonly projection: CaseProjection,
    private readonly timeoutMs: number,
  ) {}

  async settle(): Promise<void> {
    const position = this.stream.lastAppendedPosition;
    if (position === undefined || (this.projection.checkpoint ?? -1n) >= position) return;
    try {
      await this.projection.waitForCheckpoint(position, this.timeoutMs);
    } catch (error) {
      this.logger.warn(
        `Answering a list before its read model caught up: ${(error as Error).message}`,
      );
    }
  }
}
