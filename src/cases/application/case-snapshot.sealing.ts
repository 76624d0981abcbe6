import { createSecretKey, randomBytes } from 'node:crypto';
import {
  openField,
  parseEnvelope,
  sealField,
  type ParsedEnvelope,
} from '../../personal-data/field-envelope';
import type { PersonalDataVault } from '../../personal-data/personal-data.vault';
import { isPlaceholder } from './case-event.personal-data';
import type { CaseSnapshotCodec } from './case-snapshot.codec';
import { existsIn, type CaseFold } from './case.fold';

/** What a sealed snapshot stores: the frame in clear, the fold sealed. */
interface SealedSnapshot {
  readonly sealed: 1;
  readonly caseId: string;
  readonly revision: number;
  /** The snapshot's own key, sealed under the key of each person the fold mentions, by id. */
  readonly recipients: Readonly<Record<string, string>>;
  /** The inner codec's text, sealed under the snapshot's own key. */
  readonly body: string;
}

/** Key id written into the body's envelope: the snapshot key is not in the vault. */
const BODY_KEY_ID = 'snapshot-own-key';

/**
 * Snapshots hold a fold in clear (names, e-mails, parameter values), so where personal data
 * is sealed they are sealed too, with one rule: a snapshot opens only while every person it
 * mentions still has a key. The fold's text is sealed under a fresh key of its own, and that
 * key is sealed under the data key of each person in the fold (reporter, assignee, every
 * actor in its audit objects). Erasing any of them makes the snapshot unreadable, `decode`
 * answers undefined, and the case is read from its events (where the person reads as erased)
 * and snapshotted again: nothing in a snapshot outlives an erasure, on either store, without
 * deleting anything. docs/personal-data.md.
 */
export function sealedCaseSnapshotCodec(
  inner: CaseSnapshotCodec,
  vault: PersonalDataVault,
): CaseSnapshotCodec {
  return {
    async encode(fold) {
      const subjects = subjectsOf(fold);
      // Nobody left to seal for (everyone in it erased): a snapshot would never open, and each
      // load would find it unreadable, read the events and write it again. So none is written.
      if (subjects.size === 0) return undefined;
      const text = await inner.encode(fold);
      if (text === undefined) return undefined;
      const own = randomBytes(32);
      const context = contextOf(fold.caseId, fold.revision);
      const keys = await vault.sealingKeys(subjects);
      const recipients = Object.fromEntries(
        [...keys].map(([subjectId, { keyId, key }]) => [
          subjectId,
          sealField(key, keyId, own.toString('base64'), `${context}\n${subjectId}`),
        ]),
      );
      const body = sealField(createSecretKey(own), BODY_KEY_ID, text, context);
      own.fill(0);
      const snapshot: SealedSnapshot = {
        sealed: 1,
        caseId: fold.caseId,
        revision: fold.revision,
        recipients,
        body,
      };
      return JSON.stringify(snapshot);
    },

    async decode(text, caseId) {
      try {
        const snapshot = JSON.parse(text) as Partial<SealedSnapshot>;
        if (snapshot.sealed !== 1 || snapshot.caseId !== caseId) return undefined;
        const { revision, recipients, body } = snapshot;
        if (!Number.isSafeInteger(revision) || typeof body !== 'string') return undefined;
        if (typeof recipients !== 'object' || recipients === null) return undefined;
        const own = await ownKey(vault, contextOf(caseId, revision!), recipients);
        const bodyEnvelope = own && parseEnvelope(body);
        if (!bodyEnvelope) return undefined;
        const innerText = openField(
          createSecretKey(own),
          bodyEnvelope,
          contextOf(caseId, revision!),
        );
        own.fill(0);
        if (typeof innerText !== 'string') return undefined;
        const fold = await inner.decode(innerText, caseId);
        return fold?.revision === revision ? fold : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The snapshot's own key, when every recipient envelope opens to it: a person erased (or a
 * key lost) since the snapshot was written leaves it unreadable.
 */
async function ownKey(
  vault: PersonalDataVault,
  context: string,
  recipients: Readonly<Record<string, unknown>>,
): Promise<Buffer | undefined> {
  const envelopes: (readonly [string, ParsedEnvelope])[] = [];
  for (const [subjectId, text] of Object.entries(recipients)) {
    const envelope = typeof text === 'string' ? parseEnvelope(text) : undefined;
    if (!envelope) return undefined;
    envelopes.push([subjectId, envelope]);
  }
  if (envelopes.length === 0) return undefined;
  const keys = await vault.openingKeys(new Set(envelopes.map(([, e]) => e.keyId)));
  let own: string | undefined;
  for (const [subjectId, envelope] of envelopes) {
    const key = keys.get(envelope.keyId);
    if (key === undefined || typeof key === 'string') return undefined;
    const opened = openField(key, envelope, `${context}\n${subjectId}`);
    if (typeof opened !== 'string' || (own !== undefined && opened !== own)) return undefined;
    own = opened;
  }
  return own === undefined ? undefined : Buffer.from(own, 'base64');
}

const contextOf = (caseId: string, revision: number) => `case-snapshot\n${caseId}\n${revision}`;

/**
 * Every person whose data the fold holds in clear. A person who already reads as erased is
 * left out: nothing of theirs is in the snapshot, and asking for their key would make a new one.
 */
function subjectsOf(fold: CaseFold): Set<string> {
  const subjects = new Set<string>();
  const add = (person: { readonly id: string } | null) => {
    if (person && !isPlaceholder(person as Record<string, unknown>)) subjects.add(person.id);
  };
  if (existsIn(fold)) {
    add(fold.state.reporter);
    add(fold.state.assignee);
  }
  for (const audit of Object.values(fold.audits)) {
    for (const entry of Object.values(audit)) if (entry) add(entry.by);
  }
  return subjects;
}
