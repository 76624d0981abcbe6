import { CASE_EVENT_SCHEMA_VERSION, type CaseQueried } from '../domain/case.events';
import {
  UpcasterRegistry,
  type MetadataUpcaster,
  type StoredMetadata,
  type Upcaster,
} from './upcaster.registry';

/**
 * schemaVersion 0 (the first import from the helpdesk platform) stored a query's message as
 * `{prompt}`; version 1 names it `queryPrompt`, as the Case resource does.
 */
export const caseQueriedPromptRenamed: Upcaster = {
  type: 'CaseQueried',
  fromVersion: 0,
  reason: 'v0 stored the query message as `prompt`; v1 names it `queryPrompt`.',
  upcast(data): CaseQueried['data'] {
    const { prompt } = (data ?? {}) as { prompt?: string | null };
    return { queryPrompt: prompt ?? null };
  },
};

const EVENT_STORE_KEYS: ReadonlyMap<string, string> = new Map([
  ['correlationId', '$correlationId'],
  ['causationId', '$causationId'],
]);

/**
 * Versions 0 and 1 wrote `correlationId`/`causationId`; version 2 writes the keys EventStoreDB
 * itself uses, which its `$by_correlation_id` projection reads. Renamed in place, so the
 * members keep their order and values.
 */
export const metadataKeysOfEventStore: MetadataUpcaster = {
  target: 'metadata',
  fromVersion: 1,
  reason:
    'v1 wrote `correlationId`/`causationId`; v2 writes `$correlationId`/`$causationId`, as EventStoreDB and its `$by_correlation_id` projection read them.',
  upcast(metadata): StoredMetadata {
    return Object.fromEntries(
      Object.entries(metadata).map(([key, value]) => [EVENT_STORE_KEYS.get(key) ?? key, value]),
    );
  },
};

/**
 * The first `schemaVersion` whose personal fields may be stored sealed (`pii:1:` envelopes). In
 * an event stored before it, a value that starts with `pii:1:` is text a person typed: it is
 * never opened, so old plaintext events read exactly as stored.
 */
export const SEALED_FIELDS_SINCE = 3;

/**
 * Version 3 changed what a stored value may be (an envelope), not the shape anyone reads: the
 * opened event of version 3 is the plaintext event of version 2. The step exists so the stored
 * version says whether to open envelopes; readers see the current version on every event.
 */
export const personalFieldsMayBeSealed: MetadataUpcaster = {
  target: 'metadata',
  fromVersion: SEALED_FIELDS_SINCE - 1,
  reason:
    'v3 may store personal fields sealed (`pii:1:` envelopes), opened on read; v2 and older are plaintext and read as stored, so nothing else changes.',
  renumbersOnly: true,
  upcast: (metadata) => metadata,
};

/** Every upcaster of the case events, in the order they were introduced. Add the next here. */
export const caseEventUpcasters = new UpcasterRegistry(CASE_EVENT_SCHEMA_VERSION, [
  caseQueriedPromptRenamed,
  metadataKeysOfEventStore,
  personalFieldsMayBeSealed,
]);
