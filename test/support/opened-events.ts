import type { INestApplicationContext } from '@nestjs/common';
import { envelopeKeyIds, openParts } from '../../src/cases/application/case-event.personal-data';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { PersonalDataVault } from '../../src/personal-data/personal-data.vault';

/**
 * Stored events with their personal-data envelopes opened by the app's vault: what was appended,
 * as the service itself reads it (docs/personal-data.md). Specs that assert on stored bytes
 * read the store directly instead.
 */
export async function openedEvents(
  app: INestApplicationContext,
  events: readonly RecordedEvent[],
): Promise<RecordedEvent[]> {
  const keyIds = new Set<string>();
  for (const event of events) envelopeKeyIds(event, keyIds);
  const keys = await app.get(PersonalDataVault).openingKeys(keyIds);
  return events.map((event) => {
    const { data, metadata } = openParts(event.id, event.type, event, keys);
    return { ...event, data, metadata };
  });
}
