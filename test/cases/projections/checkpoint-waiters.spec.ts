import { CheckpointWaiters } from '../../../src/cases/projections/checkpoint-waiters';

/** The one wait loop behind the projections' and the erasure follower's "reached yet?". */
describe('checkpoint waiters', () => {
  let waiters: CheckpointWaiters;
  let checkpoint: bigint | undefined;
  let failure: string | undefined;
  const source = { name: 'cases', checkpoint: () => checkpoint, failure: () => failure };

  beforeEach(() => {
    waiters = new CheckpointWaiters();
    checkpoint = undefined;
    failure = undefined;
  });

  it('wakes a waiter as soon as progress is reported, not at its next poll', async () => {
    // No timer fires under fake timers: only the report can wake the waiter.
    jest.useFakeTimers();
    try {
      let done = false;
      const waiting = waiters.until(() => done, 5_000);

      done = true;
      waiters.notify();

      await expect(waiting).resolves.toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('answers false once the time is up', async () => {
    await expect(waiters.until(() => false, 60)).resolves.toBe(false);
  });

  it('sees progress nobody reported at its next poll', async () => {
    let done = false;
    setTimeout(() => (done = true), 10);

    await expect(waiters.until(() => done, 5_000)).resolves.toBe(true);
  });

  it('resolves a wait for a position the projection has reached', async () => {
    checkpoint = 7n;

    await expect(waiters.waitFor(7n, 1_000, source)).resolves.toBeUndefined();
  });

  it("rejects a wait with the projection's failure", async () => {
    const waiting = waiters.waitFor(7n, 5_000, source);
    failure = 'The projection thread stopped.';
    waiters.notify();

    await expect(waiting).rejects.toThrow('The projection thread stopped.');
  });

  it('rejects a wait that times out, saying where the projection is', async () => {
    checkpoint = 3n;

    await expect(waiters.waitFor(7n, 60, source)).rejects.toThrow(
      'Projection cases is at 3, not yet at 7, after 60 ms.',
    );
  });
});
