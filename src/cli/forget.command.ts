import type { Writable } from 'node:stream';
import type { EventStore } from '../event-store/event-store.port';
import { PersonalDataErasures, type ErasureRecord } from '../personal-data/personal-data.erasures';
import type { PersonalDataVault } from '../personal-data/personal-data.vault';
import { OutputSink } from './output.sink';

/** Who the erasure record names as requester when run from the command line. */
export const CLI_REQUESTER = {
  id: 'case-audit',
  accountId: 'case-audit',
  accountType: 'operations',
};

/**
 * `forget <USR-id>`: what `POST /personal-data/erasures` does, for an operator at a shell.
 * Destroys the person's keys and records `PersonalDataErased`; a running service follows that
 * event and re-renders its read models (one that is down does so when it starts).
 * `subjectId` is a user id as `parseUserId` checked it, before anything was opened.
 */
export async function runForget(
  store: EventStore,
  vault: PersonalDataVault,
  subjectId: string,
  out: Writable,
  now: Date = new Date(),
): Promise<ErasureRecord> {
  const record = await new PersonalDataErasures(store, vault).erase(subjectId, CLI_REQUESTER, now);
  const sink = new OutputSink(out);
  const { identity, status, erasedAt } = record;
  await sink.write(`${JSON.stringify({ identity, status, erasedAt })}\n`);
  await sink.close();
  return record;
}
