import type { EventStore } from '../../../src/event-store/event-store.port';
import { numbers, readStream, someEvents, uniqueStream } from './contract.fixtures';

export interface EventStoreFactory {
  /** Opens a store; opening again after `close()` must give a store on the same data. */
  open(): Promise<EventStore>;
  /**
   * Why this adapter keeps nothing across close and reopen, for one that by design does not
   * (the in-memory store): its durability tests are then skipped, with the reason in the title.
   */
  readonly notDurableBecause?: string;
}

export function durabilityContract(factory: EventStoreFactory): void {
  const reason = factory.notDurableBecause;
  const describeDurability = reason === undefined ? describe : describe.skip;

  describeDurability(
    reason === undefined ? 'durability' : `durability (skipped: ${reason})`,
    () => {
      it('keeps appended events across close and reopen', async () => {
        const streamId = uniqueStream();
        const writing = await factory.open();
        const appended = await writing.appendToStream(streamId, someEvents(3), {
          expectedRevision: 'no_stream',
        });
        await writing.close();

        const reopened = await factory.open();
        try {
          const events = await readStream(reopened, streamId);
          expect(numbers(events)).toEqual([0, 1, 2]);
          expect(events[2]!.revision).toBe(appended.nextExpectedRevision);
          await expect(
            reopened.appendToStream(streamId, someEvents(1, 3), { expectedRevision: 2n }),
          ).resolves.toMatchObject({ nextExpectedRevision: 3n });
        } finally {
          await reopened.close();
        }
      });
    },
  );
}
