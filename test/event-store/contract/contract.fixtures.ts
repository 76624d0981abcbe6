import { randomUUID } from 'node:crypto';
import type {
  EventStore,
  EventToAppend,
  ReadStreamOptions,
  RecordedEvent,
} from '../../../src/event-store/event-store.port';

/** The store under test; a getter because the suite opens it in `beforeAll`. */
export type CurrentStore = () => EventStore;

/**
 * Every test writes under its own prefix: the suite also runs against a real EventStoreDB that
 * is never reset, so no test may assume the store is empty or see another test's streams.
 */
export const uniquePrefix = (): string => `contract${randomUUID().replace(/-/g, '')}-`;

export const uniqueStream = (): string => `${uniquePrefix()}case`;

export function anEvent(n: number, type = 'CaseTransferred'): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data: { n, to: { id: 'HQU-1234-1234', name: 'Business Onboarding' }, note: 'ünïcode ✓' },
    metadata: { schemaVersion: 1, correlationId: randomUUID(), actor: { id: 'USR-6375-2499' } },
  };
}

export const someEvents = (count: number, from = 0): EventToAppend[] =>
  Array.from({ length: count }, (_, i) => anEvent(from + i));

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export const readStream = (store: EventStore, streamId: string, options?: ReadStreamOptions) =>
  collect(store.readStream(streamId, options));

/** The `n` each event was appended with: a compact way to assert which events came back. */
export const numbers = (events: readonly RecordedEvent[]): number[] =>
  events.map((event) => (event.data as { n: number }).n);

/** Takes the next `count` items from an iterator that stays open for more. */
export async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const items: T[] = [];
  while (items.length < count) {
    const next = await iterator.next();
    if (next.done) throw new Error(`The iteration ended after ${items.length} of ${count} items.`);
    items.push(next.value);
  }
  return items;
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection, but the promise resolved.');
}

export const isStrictlyIncreasing = (values: readonly bigint[]): boolean =>
  values.every((value, i) => i === 0 || value > values[i - 1]!);
