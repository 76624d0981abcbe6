import { randomUUID } from 'node:crypto';
import { appendSize, DEFAULT_MAX_APPEND_SIZE } from '../../../src/event-store/append-size';
import { AppendTooLarge } from '../../../src/event-store/event-store.errors';
import type { EventToAppend } from '../../../src/event-store/event-store.port';
import { type CurrentStore, readStream, rejectionOf, uniqueStream } from './contract.fixtures';

/** Events whose size, as EventStoreDB measures an append, is exactly `bytes`. */
function eventsOfSize(bytes: number): EventToAppend[] {
  const event = (note: string): EventToAppend => ({
    id: randomUUID(),
    type: 'CaseCreated',
    data: { note },
    metadata: { schemaVersion: 1, note: 'ünïcode ✓' },
  });
  const small = event('a');
  // Half in each of two events: the limit is on the append, not on one event.
  const fill = bytes - 2 * appendSize([small]) + 2;
  const first = event('x'.repeat(Math.floor(fill / 2)));
  const second = event('y'.repeat(Math.ceil(fill / 2)));
  return [first, second];
}

/**
 * Both stores refuse an append over EventStoreDB's default maximum append size (1 MiB: type,
 * data and metadata bytes of every event of the append) and accept one of exactly that size.
 */
export function appendSizeContract(store: CurrentStore): void {
  describe('the maximum append size', () => {
    it('accepts an append of exactly the maximum size', async () => {
      const streamId = uniqueStream();
      const events = eventsOfSize(DEFAULT_MAX_APPEND_SIZE);
      expect(appendSize(events)).toBe(DEFAULT_MAX_APPEND_SIZE);

      await store().appendToStream(streamId, events, { expectedRevision: 'no_stream' });

      expect(await readStream(store(), streamId)).toHaveLength(2);
    });

    it('refuses an append one byte over with AppendTooLarge (413), appending nothing', async () => {
      const streamId = uniqueStream();
      const events = eventsOfSize(DEFAULT_MAX_APPEND_SIZE + 1);

      const error = await rejectionOf(
        store().appendToStream(streamId, events, { expectedRevision: 'no_stream' }),
      );

      expect(error).toBeInstanceOf(AppendTooLarge);
      expect(error).toMatchObject({
        code: 'APPEND_TOO_LARGE',
        streamId,
        maxAppendSize: DEFAULT_MAX_APPEND_SIZE,
      });
      expect(await readStream(store(), streamId)).toEqual([]);
    });
  });
}
