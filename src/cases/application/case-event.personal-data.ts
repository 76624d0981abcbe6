import {
  ENVELOPE_PREFIX,
  envelopeKeyId,
  isEnvelope,
  openField,
  parseEnvelope,
  sealField,
} from '../../personal-data/field-envelope';
import type { OpeningKey, SealingKey } from '../../personal-data/personal-data.vault';

/**
 * Which parts of a case event are personal data, and whose: the fields of a person (reporter,
 * assignee, previous assignee, the actor in metadata) belong to that person; free text a person
 * typed (opening message, query prompt, parameter values) belongs to the case's reporter. Ids,
 * types, statuses, queues, accounts and timestamps are not listed: they stay in clear.
 */
export const ERASED = '[erased]';
export const UNREADABLE = '[unreadable]';

type Path = readonly (string | number)[];

/** A person object whose listed fields are sealed under the person's own key. */
interface PersonSlot {
  readonly kind: 'person';
  readonly path: Path;
  readonly subjectId: string;
  readonly fields: readonly string[];
  /** Members kept in clear when the person reads as erased (besides `id`). */
  readonly keep: readonly string[];
}

/** A value sealed under the reporter's key (undefined when only reading). */
interface TextSlot {
  readonly kind: 'text';
  readonly path: Path;
  readonly subjectId: string | undefined;
}

type Slot = PersonSlot | TextSlot;

/** The event's stored parts, as the codec writes them: `{ data, metadata }`. */
export interface EventParts {
  readonly data: unknown;
  readonly metadata: unknown;
}

type Json = Record<string, unknown>;

const ASSIGNEE_FIELDS = ['email', 'firstName', 'lastName', 'name'];
const ACTOR_FIELDS = ['name', 'accountName'];

function slotsOf(type: string, parts: EventParts, reporterId?: string): Slot[] {
  const slots: Slot[] = [];
  const data = (parts.data ?? {}) as Json;
  const person = (path: Path, value: unknown, fields: readonly string[], keep: string[] = []) => {
    const id = (value as Json | null)?.id;
    if (typeof id === 'string') slots.push({ kind: 'person', path, subjectId: id, fields, keep });
  };
  const text = (path: Path, subjectId: string | undefined) =>
    slots.push({ kind: 'text', path, subjectId });
  const parameters = (list: unknown, subjectId: string | undefined) => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      if ((p as Json | null)?.value !== undefined)
        text(['data', 'parameters', i, 'value'], subjectId);
    });
  };
  person(['metadata', 'actor'], (parts.metadata as Json | null)?.actor, ACTOR_FIELDS, [
    'accountId',
    'accountType',
  ]);
  switch (type) {
    case 'CaseCreated': {
      const reporter = (data.reporter as Json | null)?.id as string | undefined;
      person(['data', 'reporter'], data.reporter, ['name']);
      person(['data', 'assignee'], data.assignee, ASSIGNEE_FIELDS);
      if (data.openingMessage !== undefined) text(['data', 'openingMessage'], reporter);
      parameters(data.parameters, reporter);
      break;
    }
    case 'CaseAssigned':
    case 'CaseUnassigned':
      person(['data', 'assignee'], data.assignee, ASSIGNEE_FIELDS);
      person(['data', 'previousAssignee'], data.previousAssignee, ASSIGNEE_FIELDS);
      break;
    case 'CaseQueried':
      if (typeof data.queryPrompt === 'string') text(['data', 'queryPrompt'], reporterId);
      break;
    case 'CaseParametersChanged':
      parameters(data.parameters, reporterId);
      break;
  }
  return slots;
}

/**
 * The slots to seal: a person already read as erased or unreadable (carried from the fold into
 * a new event, e.g. as the previous assignee) holds nothing personal, so it stays as it is and
 * no key is made for it.
 */
function slotsToSeal(type: string, parts: EventParts, reporterId?: string): Slot[] {
  return slotsOf(type, parts, reporterId).filter(
    (slot) => slot.kind === 'text' || !isPlaceholder(getIn(parts, slot.path) as Json),
  );
}

/** A person who already reads as erased or unreadable: nothing of theirs left to seal. */
export const isPlaceholder = (person: Json) =>
  (person.name === ERASED || person.name === UNREADABLE) &&
  Object.keys(person).every((key) =>
    ['id', 'name', 'accountId', 'accountName', 'accountType'].includes(key),
  );

/** The subjects whose keys sealing this event needs. */
export function subjectsToSeal(type: string, parts: EventParts, reporterId?: string): string[] {
  return slotsToSeal(type, parts, reporterId).flatMap((slot) => slot.subjectId ?? []);
}

/**
 * The event with every personal field replaced by its envelope. `eventId` and the field's path
 * are the envelope's additional data. Copies along the changed paths only; `parts` is untouched.
 */
export function sealParts(
  eventId: string,
  type: string,
  parts: EventParts,
  keys: ReadonlyMap<string, SealingKey>,
  reporterId?: string,
): EventParts {
  let root = parts as unknown as Json;
  for (const slot of slotsToSeal(type, parts, reporterId)) {
    const key = slot.subjectId === undefined ? undefined : keys.get(slot.subjectId);
    if (!key) continue;
    if (slot.kind === 'text') {
      const value = getIn(root, slot.path);
      if (value === undefined || value === null) continue;
      root = setIn(root, slot.path, seal(key, value, eventId, slot.path));
      continue;
    }
    const person = { ...(getIn(root, slot.path) as Json) };
    for (const field of slot.fields) {
      if (person[field] !== undefined) {
        person[field] = seal(key, person[field], eventId, [...slot.path, field]);
      }
    }
    root = setIn(root, slot.path, person);
  }
  return root as unknown as EventParts;
}

/** Key ids named by the envelopes in a stored event. */
export function envelopeKeyIds(parts: EventParts, into: Set<string>): void {
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const keyId = envelopeKeyId(value);
      if (keyId !== undefined) into.add(keyId);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(parts.data);
  visit(parts.metadata);
}

export interface OpenedParts extends EventParts {
  /** Paths of fields whose envelope is damaged or names an unknown key: `verify` reports them. */
  readonly unreadable: readonly string[];
}

/**
 * The event with its envelopes opened: a person whose key was erased reads as `{id, name:
 * "[erased]"}` (the actor keeps its account id and type), erased free text as `"[erased]"`; a
 * field that does not open reads as `"[unreadable]"` (a person: `{id, name: "[unreadable]"}`).
 */
export function openParts(
  eventId: string,
  type: string,
  parts: EventParts,
  keys: ReadonlyMap<string, OpeningKey>,
): OpenedParts {
  let root = parts as unknown as Json;
  const unreadable: string[] = [];
  for (const slot of slotsOf(type, parts)) {
    if (slot.kind === 'text') {
      const value = getIn(root, slot.path);
      if (!isEnvelope(value)) continue;
      const opened = open(value, keys, eventId, slot.path);
      if (opened.state === 'unreadable') unreadable.push(slot.path.join('.'));
      root = setIn(root, slot.path, opened.state === 'open' ? opened.value : placeholder(opened));
      continue;
    }
    const source = getIn(root, slot.path) as Json;
    const person: Json = { ...source };
    let lost: 'erased' | 'unreadable' | undefined;
    for (const field of slot.fields) {
      const value = source[field];
      if (!isEnvelope(value)) continue;
      const opened = open(value, keys, eventId, [...slot.path, field]);
      if (opened.state === 'open') person[field] = opened.value;
      else if (opened.state === 'erased') lost ??= 'erased';
      else {
        lost = 'unreadable';
        unreadable.push([...slot.path, field].join('.'));
      }
    }
    root = setIn(root, slot.path, lost ? lostPerson(source, slot, lost) : person);
  }
  return { ...(root as unknown as EventParts), unreadable };
}

/**
 * Whether stored JSON text may hold an envelope: the fast path skips parsing when not. The
 * prefix is looked for without the quote that opens an envelope's string: V8 searches for a
 * pattern that starts with `"` in JSON text about five times slower (quotes are everywhere), and
 * a text the shorter pattern matches by chance is only parsed and opened like any other.
 */
export const mayHoldEnvelopes = (text: string): boolean => text.includes(ENVELOPE_PREFIX);

function lostPerson(source: Json, slot: PersonSlot, lost: 'erased' | 'unreadable'): Json {
  const name = lost === 'erased' ? ERASED : UNREADABLE;
  const person: Json = { id: source.id, name };
  for (const member of slot.keep) if (source[member] !== undefined) person[member] = source[member];
  // The actor's account name is personal (it is sealed) but required in its shape.
  if (slot.fields.includes('accountName')) person.accountName = name;
  return person;
}

type Opened = { state: 'open'; value: unknown } | { state: 'erased' } | { state: 'unreadable' };

const placeholder = (opened: Opened) => (opened.state === 'erased' ? ERASED : UNREADABLE);

function open(
  text: string,
  keys: ReadonlyMap<string, OpeningKey>,
  eventId: string,
  path: Path,
): Opened {
  const envelope = parseEnvelope(text);
  const key = envelope ? keys.get(envelope.keyId) : undefined;
  if (key === 'erased') return { state: 'erased' };
  if (!envelope || key === undefined || key === 'unknown') return { state: 'unreadable' };
  try {
    return { state: 'open', value: openField(key, envelope, contextOf(eventId, path)) };
  } catch {
    return { state: 'unreadable' };
  }
}

function seal(key: SealingKey, value: unknown, eventId: string, path: Path): string {
  return sealField(key.key, key.keyId, value, contextOf(eventId, path));
}

const contextOf = (eventId: string, path: Path) => `${eventId}\n${path.join('.')}`;

function getIn(root: unknown, path: Path): unknown {
  let value = root;
  for (const step of path) value = (value as Record<string | number, unknown> | null)?.[step];
  return value;
}

function setIn(root: Json, path: Path, value: unknown): Json {
  const [step, ...rest] = path;
  const copy: Json | unknown[] = Array.isArray(root) ? [...(root as unknown[])] : { ...root };
  (copy as Record<string | number, unknown>)[step!] =
    rest.length === 0
      ? value
      : setIn((root as Record<string | number, unknown>)[step!] as Json, rest, value);
  return copy as Json;
}
