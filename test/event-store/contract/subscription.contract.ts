import type { RecordedEvent } from '../../../src/event-store/event-store.port';
import {
  anEvent,
  type CurrentStore,
  isStrictlyIncreasing,
  numbers,
  take,
  uniquePrefix,
} from './contract.fixtures';

export function subscriptionContract(store: CurrentStore): void {
  describe('subscribing to all events', () => {
    const appendTo = (streamId: string, n: number) =>
      store().appendToStream(streamId, [anEvent(n)], { expectedRevision: 'any' });

    it('catches up, then receives live appends in order, without gaps or duplicates', async () => {
      const prefix = uniquePrefix();
      await appendTo(`${prefix}a`, 1);
      await appendTo(`${prefix}b`, 2);
      await appendTo(`other${prefix}`, 99);
      const subscription = store().subscribeToAll({ streamPrefix: prefix });
      const events = subscription[Symbol.asyncIterator]();

      const caughtUp = await take(events, 2);
      const live = take(events, 3);
      await appendTo(`${prefix}a`, 3);
      await appendTo(`other${prefix}`, 98);
      await appendTo(`${prefix}c`, 4);
      await appendTo(`${prefix}b`, 5);
      const received: RecordedEvent[] = [...caughtUp, ...(await live)];
      await subscription.unsubscribe();

      expect(numbers(received)).toEqual([1, 2, 3, 4, 5]);
      expect(isStrictlyIncreasing(received.map((event) => event.position))).toBe(true);
    });

    it('starts after the given position, exclusive', async () => {
      const prefix = uniquePrefix();
      const first = await appendTo(`${prefix}a`, 1);
      await appendTo(`${prefix}a`, 2);
      const subscription = store().subscribeToAll({ streamPrefix: prefix, after: first.position });

      const [next] = await take(subscription[Symbol.asyncIterator](), 1);
      await subscription.unsubscribe();

      expect(numbers([next!])).toEqual([2]);
    });

    it('ends an iteration that is waiting for live events when unsubscribed', async () => {
      const subscription = store().subscribeToAll({ streamPrefix: uniquePrefix() });
      const waiting = subscription[Symbol.asyncIterator]().next();

      await subscription.unsubscribe();

      await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    });

    it('ends a for-await loop that unsubscribes from inside', async () => {
      const prefix = uniquePrefix();
      await appendTo(`${prefix}a`, 1);
      await appendTo(`${prefix}a`, 2);
      const subscription = store().subscribeToAll({ streamPrefix: prefix });
      const seen: number[] = [];

      for await (const event of subscription) {
        seen.push(...numbers([event]));
        await subscription.unsubscribe();
      }

      expect(seen).toEqual([1]);
    });
  });
}
