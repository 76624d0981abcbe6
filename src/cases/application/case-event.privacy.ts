import type { EventToAppend, SerializedEvent } from '../../event-store/event-store.port';
import type { PersonalDataVault } from '../../personal-data/personal-data.vault';
import type { CaseEvent } from '../domain/case.events';
import type { CaseEventMetadata } from '../domain/case.history';
import {
  mayHoldSealedFields,
  upcastStored,
  type CaseEventRecord,
  type DecodedCaseEvent,
} from './case-event.codec';
import {
  envelopeKeyIds,
  mayHoldEnvelopes,
  openParts,
  sealParts,
  subjectsToSeal,
} from './case-event.personal-data';

/** A stored case event with its envelopes opened; `unreadableFields` lists those that did not. */
export interface OpenedSerializedEvent extends SerializedEvent {
  readonly unreadableFields?: readonly string[];
}

/**
 * Crypto-shredding at the case event boundary: seals personal fields on append and opens them
 * on every read, with one key lookup per batch. Without a vault (unit specs of other parts)
 * events pass in clear and envelopes read as unreadable. docs/personal-data.md.
 */
export class CaseEventPrivacy {
  constructor(private readonly vault?: PersonalDataVault) {}

  /** `events` with their personal fields sealed; `reporterId` owns free text of later events. */
  async seal(events: readonly EventToAppend[], reporterId?: string): Promise<EventToAppend[]> {
    if (!this.vault) return [...events];
    const subjects = new Set<string>();
    for (const event of events) {
      for (const subject of subjectsToSeal(event.type, event, reporterId)) subjects.add(subject);
    }
    if (subjects.size === 0) return [...events];
    const keys = await this.vault.sealingKeys(subjects);
    return events.map((event) => {
      const { data, metadata } = sealParts(event.id, event.type, event, keys, reporterId);
      return { ...event, data, metadata };
    });
  }

  /**
   * The records with their envelopes opened (one key lookup for all of them). Only events stored
   * at a version that seals are opened: in older ones a `pii:1:` string is plaintext.
   */
  async open(decoded: readonly DecodedCaseEvent[]): Promise<CaseEventRecord[]> {
    const keyIds = new Set<string>();
    for (const { record, sealed } of decoded) if (sealed) envelopeKeyIds(partsOf(record), keyIds);
    if (keyIds.size === 0) return decoded.map(({ record }) => record);
    const keys = this.vault ? await this.vault.openingKeys(keyIds) : new Map();
    return decoded.map(({ record, sealed }) => {
      if (!sealed) return record;
      const { data, metadata } = openParts(
        record.eventId,
        record.event.type,
        partsOf(record),
        keys,
      );
      return {
        ...record,
        event: { type: record.event.type, data } as CaseEvent,
        metadata: metadata as CaseEventMetadata,
      };
    });
  }

  /**
   * Stored events with their envelopes opened, in the current shape where they held any (the
   * others, and every event stored before sealing, are handed on untouched, so export still
   * copies their text as stored).
   */
  async openSerialized(page: readonly SerializedEvent[]): Promise<OpenedSerializedEvent[]> {
    // Metadata first: every sealed event's actor is sealed, so a sealed page stops there.
    const sealed = page.filter((s) => mayHoldEnvelopes(s.metadata) || mayHoldEnvelopes(s.data));
    if (sealed.length === 0) return [...page];
    const parsed = new Map<SerializedEvent, { data: unknown; metadata: unknown }>();
    const keyIds = new Set<string>();
    for (const stored of sealed) {
      try {
        const metadata = JSON.parse(stored.metadata) as unknown;
        if (!mayHoldSealedFields(metadata)) continue;
        const parts = upcastStored({
          ...stored,
          data: JSON.parse(stored.data) as unknown,
          metadata,
        });
        parsed.set(stored, parts);
        envelopeKeyIds(parts, keyIds);
      } catch {
        // Damaged beyond its envelopes: verify reports it as it always did.
      }
    }
    const keys = this.vault ? await this.vault.openingKeys(keyIds) : new Map();
    return page.map((stored) => {
      const parts = parsed.get(stored);
      if (!parts) return stored;
      const opened = openParts(stored.id, stored.type, parts, keys);
      return {
        ...stored,
        data: JSON.stringify(opened.data),
        metadata: JSON.stringify(opened.metadata),
        ...(opened.unreadable.length > 0 ? { unreadableFields: opened.unreadable } : {}),
      };
    });
  }
}

const partsOf = (record: CaseEventRecord) => ({
  data: record.event.data,
  metadata: record.metadata,
});
