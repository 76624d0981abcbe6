import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { CASE_EVENT_SCHEMA_VERSION, CASE_EVENT_TYPES } from '../domain/case.events';

/**
 * The event contract as code: the JSON Schemas under `schemas/` at the project root, compiled
 * once with ajv. They are read from disk rather than imported so they stay language-neutral
 * files that consumers and the AsyncAPI document reference; `src/cases/contract` and
 * `dist/cases/contract` are both three levels below the root, so one relative path serves both.
 */
export const SCHEMAS_DIR = join(__dirname, '..', '..', '..', 'schemas');

const EVENT_SCHEMA_ID = (type: string) =>
  `https://docs.case-service.dev/schemas/events/${type}.schema.json`;
const METADATA_SCHEMA_ID = 'https://docs.case-service.dev/schemas/event-metadata.schema.json';
const ENVELOPE_SCHEMA_ID = 'https://docs.case-service.dev/schemas/case-event-envelope.schema.json';

export class EventContractUnavailable extends Error {
  override readonly name = 'EventContractUnavailable';
}

interface CompiledContract {
  readonly events: ReadonlyMap<string, ValidateFunction>;
  readonly metadata: ValidateFunction;
  readonly envelope: ValidateFunction;
}

let compiled: CompiledContract | undefined;

/** Compiles on first use, so a process that never validates never touches the files. */
export function loadEventContract(dir: string = SCHEMAS_DIR): CompiledContract {
  if (compiled && dir === SCHEMAS_DIR) return compiled;
  if (!existsSync(join(dir, 'event-metadata.schema.json'))) {
    throw new EventContractUnavailable(
      `The event schemas are missing: expected ${dir}/event-metadata.schema.json (deployments must ship the schemas/ folder beside dist/).`,
    );
  }
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const files = [
    ...readdirSync(dir).filter((f) => f.endsWith('.schema.json')),
    ...readdirSync(join(dir, 'events')).map((f) => join('events', f)),
  ];
  for (const file of files) ajv.addSchema(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  const get = (id: string): ValidateFunction => {
    const validate = ajv.getSchema(id);
    if (!validate) throw new EventContractUnavailable(`No schema with $id ${id} in ${dir}`);
    return validate;
  };
  const contract: CompiledContract = {
    events: new Map(CASE_EVENT_TYPES.map((type) => [type, get(EVENT_SCHEMA_ID(type))])),
    metadata: get(METADATA_SCHEMA_ID),
    envelope: get(ENVELOPE_SCHEMA_ID),
  };
  if (dir === SCHEMAS_DIR) compiled = contract;
  return contract;
}

/**
 * Every way one case event breaks the contract, as `where: what` lines; empty when it keeps
 * it. Expects the current shape: upcast stored events first (`upcastRecordedEvent`).
 */
export function validateCaseEvent(type: string, data: unknown, metadata: unknown): string[] {
  const contract = loadEventContract();
  if (!contract.events.has(type)) return [unknownType(type)];
  const problems = [
    ...validateCaseEventData(type, data),
    ...check(contract.metadata, metadata, 'metadata'),
  ];
  const version = (metadata as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== CASE_EVENT_SCHEMA_VERSION) {
    // Says what to do instead of the schema's bare "must be equal to constant".
    return [
      ...problems.filter((problem) => !problem.startsWith('metadata/schemaVersion:')),
      `metadata/schemaVersion: is ${version}, not the current ${CASE_EVENT_SCHEMA_VERSION}; upcast before validating`,
    ];
  }
  return problems;
}

/**
 * `validateCaseEvent` for an event whose metadata is already known to keep the contract (the
 * audit tool's `isCertainlyValidMetadata`): the same lines, without checking the metadata again.
 */
export function validateCaseEventData(type: string, data: unknown): string[] {
  const validateData = loadEventContract().events.get(type);
  return validateData ? check(validateData, data, 'data') : [unknownType(type)];
}

const unknownType = (type: string) =>
  `type: unknown event type "${type}"; known: ${CASE_EVENT_TYPES.join(', ')}`;

/** Checks one feed envelope (the SSE `data`), for consumers' and the feed's own tests. */
export function validateFeedEnvelope(envelope: unknown): string[] {
  const contract = loadEventContract();
  const problems = check(contract.envelope, envelope, 'envelope');
  const { type, data, metadata } = (envelope ?? {}) as Record<string, unknown>;
  return problems.length ? problems : validateCaseEvent(String(type), data, metadata);
}

function check(validate: ValidateFunction, value: unknown, root: string): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${root}${error.instancePath}: ${describe(error)}`);
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    return `must not have property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  return error.message ?? error.keyword;
}
