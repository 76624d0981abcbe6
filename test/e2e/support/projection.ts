import { CaseProjection } from '../../../src/cases/projections/case-projection';
import type { TestApp } from './test-app';

/**
 * Lists lag the streams: waits (bounded) until the read models reflect the last case event
 * appended so far, so a test asserts on a list only once it can be complete.
 */
export async function projectionCaughtUp(t: TestApp, timeoutMs = 10_000): Promise<void> {
  let head = 0n;
  for await (const event of t.store.readAll({ streamPrefix: 'case-' })) head = event.position;
  await t.app.get(CaseProjection).waitForCheckpoint(head, timeoutMs);
}
