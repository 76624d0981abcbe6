import type { INestApplicationContext } from '@nestjs/common';
import { mayHoldSealedFields } from '../../src/cases/application/case-event.codec';
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
  const sealed = events.filter((event) => mayHoldSealedFields(event.metadata));
  for (const event of sealed) envelopeKeyIds(event, keyIds);
  const keys = await app.get(PersonalDataVault).openingKeys(keyIds);
  return events.map((event) => {
    // Events stored before sealing are plaintext, as the service reads them.
    if (!mayHoldSealedFields(event.metadata)) return event;
    const { data, metadata } = openParts(event.id, event.type, event, keys);
    return { ...event, data, metadata };
  });
}
