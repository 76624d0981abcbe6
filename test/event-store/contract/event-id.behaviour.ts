import { WrongExpectedRevision } from '../../../src/event-store/event-store.errors';
import {
  anEvent,
  type CurrentStore,
  numbers,
  readStream,
  rejectionOf,
  someEvents,
  uniqueStream,
} from './contract.fixtures';

/**
 * What the embedded stores (SQLite, in-memory) do with event ids, beyond the shared contract:
 * EventStoreDB recognises retries too, but accepts an id reused in another stream.
 */
export function embeddedEventIdBehaviour(store: CurrentStore): void {
  it('answers a retried append with its first result and appends nothing more', async () => {
    const streamId = uniqueStream();
    const events = someEvents(2);
    const first = await store().appendToStream(streamId, events, { expectedRevision: 'no_stream' });

    const retried = await store().appendToStream(streamId, events, {
      expectedRevision: 'no_stream',
    });

    expect(retried).toEqual(first);
    expect(numbers(await readStream(store(), streamId))).toEqual([0, 1]);
  });

  it('answers a retry whose expectation still holds (any) with its first result', async () => {
    const streamId = uniqueStream();
    const events = someEvents(2);
    const first = await store().appendToStream(streamId, events, { expectedRevision: 'any' });

    const retried = await store().appendToStream(streamId, events, { expectedRevision: 'any' });

    expect(retried).toEqual(first);
    expect(numbers(await readStream(store(), streamId))).toEqual([0, 1]);
  });

  it('answers a retry sent together with its original (one group commit) alike', async () => {
    const streamId = uniqueStream();
    const events = someEvents(2);

    const [first, retried] = await Promise.all([
      store().appendToStream(streamId, events, { expectedRevision: 'no_stream' }),
      store().appendToStream(streamId, events, { expectedRevision: 'no_stream' }),
    ]);

    expect(retried).toEqual(first);
    expect(numbers(await readStream(store(), streamId))).toEqual([0, 1]);
  });

  it('answers a retry with its first result after the stream has moved on', async () => {
    const streamId = uniqueStream();
    await store().appendToStream(streamId, [anEvent(0)], { expectedRevision: 'no_stream' });
    const events = [anEvent(1), anEvent(2)];
    const first = await store().appendToStream(streamId, events, { expectedRevision: 0n });
    await store().appendToStream(streamId, [anEvent(3)], { expectedRevision: 2n });

    const retried = await store().appendToStream(streamId, events, { expectedRevision: 0n });

    expect(retried).toEqual(first);
    expect(numbers(await readStream(store(), streamId))).toEqual([0, 1, 2, 3]);
  });

  it('refuses a retry that adds an event to the ones it already appended, appending nothing', async () => {
    const streamId = uniqueStream();
    const events = someEvents(2);
    await store().appendToStream(streamId, events, { expectedRevision: 'no_stream' });

    const error = await rejectionOf(
      store().appendToStream(streamId, [...events, anEvent(7)], { expectedRevision: 'no_stream' }),
    );

    expect(error).toBeInstanceOf(Error);
    expect(numbers(await readStream(store(), streamId))).toEqual([0, 1]);
  });

  it('refuses an event id already used in another stream, appending nothing', async () => {
    const event = anEvent(1);
    await store().appendToStream(uniqueStream(), [event], { expectedRevision: 'no_stream' });
    const other = uniqueStream();

    const error = await rejectionOf(
      store().appendToStream(other, [anEvent(0), event], { expectedRevision: 'no_stream' }),
    );

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(WrongExpectedRevision);
    expect(await readStream(store(), other)).toEqual([]);
  });
}
