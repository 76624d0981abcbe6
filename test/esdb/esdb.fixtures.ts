import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../../src/event-store/event-store.port';

export const anEvent = (
  type: string,
  data: unknown = { type },
  metadata: unknown = { by: 'test' },
): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata,
});

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/** The next `count` items of an iterator that stays open (a live subscription). */
export async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const items: T[] = [];
  while (items.length < count) {
    const next = await iterator.next();
    if (next.done) throw new Error(`Iterator ended after ${items.length} of ${count} items`);
    items.push(next.value);
  }
  return items;
}

/** A stream id no other test (or earlier run against a real server) has used. */
export const uniqueStream = (category = 'esdbtest') => `${category}-${randomUUID()}`;
