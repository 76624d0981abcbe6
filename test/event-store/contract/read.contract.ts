import {
  anEvent,
  collect,
  type CurrentStore,
  isStrictlyIncreasing,
  numbers,
  readStream,
  someEvents,
  uniquePrefix,
  uniqueStream,
} from './contract.fixtures';

export function readContract(store: CurrentStore): void {
  describe('reading a stream', () => {
    let streamId: string;

    beforeAll(async () => {
      streamId = uniqueStream();
      await store().appendToStream(streamId, someEvents(5), { expectedRevision: 'no_stream' });
    });

    const read = async (options: Parameters<typeof readStream>[2]) =>
      numbers(await readStream(store(), streamId, options));

    it('reads forwards from the start by default', async () => {
      expect(await read(undefined)).toEqual([0, 1, 2, 3, 4]);
    });

    it('reads backwards from the end', async () => {
      expect(await read({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
    });

    it('reads forwards from a revision, inclusive', async () => {
      expect(await read({ fromRevision: 2n })).toEqual([2, 3, 4]);
    });

    it('reads backwards from a revision, inclusive', async () => {
      expect(await read({ direction: 'backwards', fromRevision: 2n })).toEqual([2, 1, 0]);
    });

    it('reads at most maxCount events, in either direction', async () => {
      expect(await read({ maxCount: 2 })).toEqual([0, 1]);
      expect(await read({ direction: 'backwards', maxCount: 2 })).toEqual([4, 3]);
      expect(await read({ fromRevision: 1n, maxCount: 3 })).toEqual([1, 2, 3]);
    });

    it('reads nothing forwards from past the end', async () => {
      expect(await read({ fromRevision: 5n })).toEqual([]);
    });

    it('reads a stream that does not exist as empty, in either direction', async () => {
      const missing = uniqueStream();

      expect(await readStream(store(), missing)).toEqual([]);
      expect(await readStream(store(), missing, { direction: 'backwards' })).toEqual([]);
    });
  });

  describe('reading all events', () => {
    let prefix: string;
    /** Position of an event just before this suite's own: keeps reads off older history. */
    let start: bigint;
    let positions: bigint[];

    /** Three streams under one prefix, appended interleaved, with a foreign stream between. */
    beforeAll(async () => {
      prefix = uniquePrefix();
      const appendOne = (streamId: string, n: number) =>
        store().appendToStream(streamId, [anEvent(n)], { expectedRevision: 'any' });
      start = (await appendOne(`other${prefix}x`, 98)).position;
      await appendOne(`${prefix}a`, 1);
      await appendOne(`${prefix}b`, 2);
      await appendOne(`other${prefix}x`, 99);
      await appendOne(`${prefix}a`, 3);
      await appendOne(`${prefix}c`, 4);
      positions = (await collect(store().readAll({ streamPrefix: prefix, after: start }))).map(
        (event) => event.position,
      );
    });

    it('keeps only streams with the prefix, in global order across streams', async () => {
      const events = await collect(store().readAll({ streamPrefix: prefix, after: start }));

      expect(numbers(events)).toEqual([1, 2, 3, 4]);
      expect(events.map((event) => event.streamId)).toEqual(
        ['a', 'b', 'a', 'c'].map((suffix) => `${prefix}${suffix}`),
      );
      expect(isStrictlyIncreasing(events.map((event) => event.position))).toBe(true);
    });

    it('starts at the first event when given no position', async () => {
      const events = await collect(store().readAll({ streamPrefix: prefix }));

      expect(numbers(events)).toEqual([1, 2, 3, 4]);
    });

    it('reads only events after a position, exclusive', async () => {
      const events = await collect(store().readAll({ streamPrefix: prefix, after: positions[1] }));

      expect(numbers(events)).toEqual([3, 4]);
    });

    it('reads at most maxCount events', async () => {
      const events = await collect(
        store().readAll({ streamPrefix: prefix, after: start, maxCount: 3 }),
      );

      expect(numbers(events)).toEqual([1, 2, 3]);
    });

    it('reads every stream without a prefix', async () => {
      const events = await collect(store().readAll({ after: positions[0] }));
      const ours = events.filter((event) => event.streamId.includes(prefix));

      expect(numbers(ours)).toEqual([2, 99, 3, 4]);
      expect(isStrictlyIncreasing(events.map((event) => event.position))).toBe(true);
    });
  });
}
