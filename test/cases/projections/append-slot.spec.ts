import { setTimeout as delay } from 'node:timers/promises';
import { AppendSlot } from '../../../src/cases/projections/append-slot';

describe('the append slot between the main thread and the projection thread', () => {
  it('holds no position until the first append, then only ever moves forward', () => {
    const slot = AppendSlot.create();
    expect(slot.position).toBeUndefined();

    slot.publish(5n);
    slot.publish(3n);

    expect(slot.position).toBe(5n);
    expect(new AppendSlot(slot.buffer).position).toBe(5n);
  });

  it('hands a watcher every new position, while it polls and after it fell asleep', async () => {
    const main = AppendSlot.create();
    const thread = new AppendSlot(main.buffer);
    const seen: bigint[] = [];
    let stopped = false;
    const watching = thread.watch(
      (position) => seen.push(position),
      () => stopped,
      { pollMs: 1, idleMs: 20 },
    );

    main.publish(1n);
    await until(() => seen.length === 1);
    await delay(60); // quiet for longer than idleMs: the watcher sleeps on the slot
    main.publish(2n);
    await until(() => seen.length === 2);

    stopped = true;
    main.release();
    await watching;
    expect(seen).toEqual([1n, 2n]);
  });

  it('reports an append published before the watch began (the runner may have read just before it)', async () => {
    const main = AppendSlot.create();
    main.publish(7n);
    const seen: bigint[] = [];
    let stopped = false;

    const watching = new AppendSlot(main.buffer).watch(
      (position) => seen.push(position),
      () => stopped,
      { pollMs: 1, idleMs: 20 },
    );
    await until(() => seen.length === 1);

    stopped = true;
    main.release();
    await watching;
    expect(seen).toEqual([7n]);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await delay(2);
  expect(condition()).toBe(true);
}
