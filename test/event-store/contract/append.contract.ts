import { WrongExpectedRevision } from '../../../src/event-store/event-store.errors';
import type { ExpectedRevision } from '../../../src/event-store/event-store.port';
import {
  anEvent,
  type CurrentStore,
  isStrictlyIncreasing,
  numbers,
  readStream,
  rejectionOf,
  someEvents,
  uniqueStream,
} from './contract.fixtures';

export function appendContract(store: CurrentStore): void {
  const append = (streamId: string, expectedRevision: ExpectedRevision, ...ns: number[]) =>
    store().appendToStream(
      streamId,
      ns.map((n) => anEvent(n)),
      { expectedRevision },
    );

  /** Asserts the append was refused as a conflict and returns the error for further checks. */
  async function conflictOf(appending: Promise<unknown>): Promise<WrongExpectedRevision> {
    const error = await rejectionOf(appending);
    expect(error).toBeInstanceOf(WrongExpectedRevision);
    return error as WrongExpectedRevision;
  }

  describe('appending', () => {
    it('records every field of the appended events, at consecutive revisions', async () => {
      const streamId = uniqueStream();
      const appended = someEvents(2);

      const result = await store().appendToStream(streamId, appended, {
        expectedRevision: 'no_stream',
      });

      const recorded = await readStream(store(), streamId);
      expect(
        recorded.map(({ id, type, data, metadata, streamId: stream, revision }) => ({
          id,
          type,
          data,
          metadata,
          streamId: stream,
          revision,
        })),
      ).toEqual(appended.map((event, i) => ({ ...event, streamId, revision: BigInt(i) })));
      expect(recorded.every((event) => event.created instanceof Date)).toBe(true);
      expect(isStrictlyIncreasing(recorded.map((event) => event.position))).toBe(true);
      expect(result.nextExpectedRevision).toBe(1n);
      expect(result.position).toBeGreaterThanOrEqual(recorded[1]!.position);
    });

    it('gives later appends later positions, across streams', async () => {
      const first = await append(uniqueStream(), 'no_stream', 1);
      const second = await append(uniqueStream(), 'no_stream', 2);

      expect(second.position).toBeGreaterThan(first.position);
    });
  });

  describe('expected revision no_stream', () => {
    it('creates a stream that does not exist', async () => {
      const streamId = uniqueStream();

      await expect(append(streamId, 'no_stream', 1)).resolves.toMatchObject({
        nextExpectedRevision: 0n,
      });
    });

    it('conflicts with an existing stream and appends nothing', async () => {
      const streamId = uniqueStream();
      await append(streamId, 'no_stream', 1);

      const conflict = await conflictOf(append(streamId, 'no_stream', 2));

      expect(conflict).toMatchObject({ streamId, expected: 'no_stream', actual: 0n });
      expect(numbers(await readStream(store(), streamId))).toEqual([1]);
    });
  });

  describe('an exact expected revision', () => {
    it('appends when the stream is at that revision', async () => {
      const streamId = uniqueStream();
      await append(streamId, 'no_stream', 1, 2);

      await expect(append(streamId, 1n, 3)).resolves.toMatchObject({ nextExpectedRevision: 2n });
      expect(numbers(await readStream(store(), streamId))).toEqual([1, 2, 3]);
    });

    it('conflicts when the stream has moved on, carrying the actual revision', async () => {
      const streamId = uniqueStream();
      await append(streamId, 'no_stream', 1, 2);

      const conflict = await conflictOf(append(streamId, 0n, 3));

      expect(conflict).toMatchObject({ streamId, expected: 0n, actual: 1n });
      expect(numbers(await readStream(store(), streamId))).toEqual([1, 2]);
    });

    it('conflicts when the stream does not exist', async () => {
      const streamId = uniqueStream();

      const conflict = await conflictOf(append(streamId, 0n, 1));

      expect(conflict.actual).toBeUndefined();
      expect(await readStream(store(), streamId)).toEqual([]);
    });
  });

  describe('expected revision any', () => {
    it('appends to a missing stream and to an existing one', async () => {
      const streamId = uniqueStream();

      await append(streamId, 'any', 1);
      await append(streamId, 'any', 2);

      expect(numbers(await readStream(store(), streamId))).toEqual([1, 2]);
    });
  });

  describe('expected revision stream_exists', () => {
    it('appends to an existing stream', async () => {
      const streamId = uniqueStream();
      await append(streamId, 'no_stream', 1);

      await expect(append(streamId, 'stream_exists', 2)).resolves.toMatchObject({
        nextExpectedRevision: 1n,
      });
    });

    it('conflicts with a missing stream and creates nothing', async () => {
      const streamId = uniqueStream();

      const conflict = await conflictOf(append(streamId, 'stream_exists', 1));

      expect(conflict).toMatchObject({ streamId, expected: 'stream_exists', actual: undefined });
      expect(await readStream(store(), streamId)).toEqual([]);
    });
  });

  describe('concurrent appends with the same expected revision', () => {
    it('let exactly one of them win', async () => {
      const streamId = uniqueStream();
      await append(streamId, 'no_stream', 0);

      const outcomes = await Promise.allSettled(
        [1, 2, 3, 4, 5].map((n) => append(streamId, 0n, n)),
      );

      const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
      expect(winners).toHaveLength(1);
      expect(losers.every((reason) => reason instanceof WrongExpectedRevision)).toBe(true);
      expect(await readStream(store(), streamId)).toHaveLength(2);
    });

    it('let exactly one creator win', async () => {
      const streamId = uniqueStream();

      const outcomes = await Promise.allSettled(
        [1, 2, 3].map((n) => append(streamId, 'no_stream', n)),
      );

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(await readStream(store(), streamId)).toHaveLength(1);
    });
  });
}
