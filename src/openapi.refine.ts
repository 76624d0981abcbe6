import type { OpenAPIObject } from '@nestjs/swagger';
import { HEADERS } from './common/openapi.shapes';

/**
 * What @nestjs/swagger cannot say with decorators, applied to the whole generated description:
 * OpenAPI 3.1 nullability, closed request bodies, `select` variants of the response shapes, the
 * correlation header on every answer and `security: []` on public routes. Generic rules only, so
 * the decorators stay the one source of every route and shape.
 */
export function refineDescription(document: OpenAPIObject): OpenAPIObject {
  const refined = structuredClone(document);
  const schemas = (refined.components ??= {}).schemas ?? {};
  refined.components.schemas = schemas;
  toJsonSchemaNulls(refined);
  closeRequestBodies(refined, schemas);
  addSelections(refined, schemas);
  refined.components.parameters = { XCorrelationId: CORRELATION_PARAMETER };
  refined.security = [];
  for (const operation of operationsOf(refined)) {
    operation.security ??= [];
    operation.parameters = [
      { $ref: '#/components/parameters/XCorrelationId' },
      ...((operation.parameters as Json[] | undefined) ?? []).filter(
        (p) => String(p.name).toLowerCase() !== 'x-correlation-id',
      ),
    ];
    for (const response of Object.values(operation.responses as Record<string, Json>)) {
      response.headers = { 'X-Correlation-Id': CORRELATION_HEADER, ...(response.headers as Json) };
    }
  }
  return refined;
}

type Json = Record<string, unknown>;

const CORRELATION_HEADER = { ...HEADERS.correlationId, required: true };
const CORRELATION_PARAMETER = {
  name: 'X-Correlation-Id',
  in: 'header' as const,
  required: false,
  description:
    'Echoed on the answer, logged and stored with the events; 1 to 128 visible ASCII ' +
    'characters, otherwise (or when absent) a new UUID is used',
  schema: { type: 'string', maxLength: 128 },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function operationsOf(document: OpenAPIObject): Json[] {
  return Object.values(document.paths).flatMap((item) =>
    METHODS.map((method) => (item as Json)[method] as Json | undefined).filter(
      (op): op is Json => op !== undefined,
    ),
  );
}

/** Every node of a JSON tree, depth first. */
function* nodes(value: unknown): Generator<Json> {
  if (Array.isArray(value)) for (const item of value) yield* nodes(item);
  else if (value !== null && typeof value === 'object') {
    yield value as Json;
    for (const child of Object.values(value)) yield* nodes(child);
  }
}

/**
 * 3.0's `nullable: true` is `type: [X, "null"]` in 3.1, or `anyOf` with null around a `$ref`; a
 * lone `allOf: [$ref]` (how 3.0 puts a description beside a `$ref`) is the `$ref` itself, and
 * `oneOf: [{}]` (how a decorator says "any JSON value") is `{}`.
 */
function toJsonSchemaNulls(document: OpenAPIObject): void {
  for (const node of nodes(document)) {
    const nullable = node.nullable === true;
    delete node.nullable;
    const allOf = node.allOf as Json[] | undefined;
    if (allOf?.length === 1 && typeof allOf[0].$ref === 'string') {
      delete node.allOf;
      delete node.type;
      if (nullable) node.anyOf = [allOf[0], { type: 'null' }];
      else node.$ref = allOf[0].$ref;
    } else if (nullable && typeof node.type === 'string') {
      node.type = [node.type, 'null'];
    }
    const oneOf = node.oneOf as Json[] | undefined;
    if (oneOf?.length === 1 && Object.keys(oneOf[0]).length === 0) delete node.oneOf;
  }
}

const refName = (ref: unknown) =>
  typeof ref === 'string' ? ref.replace('#/components/schemas/', '') : undefined;

/** Request bodies (and every shape inside them) refuse unknown fields, as the body pipe does. */
function closeRequestBodies(document: OpenAPIObject, schemas: Json): void {
  const pending = operationsOf(document).flatMap((op) =>
    [...nodes(op.requestBody)].map((n) => refName(n.$ref)).filter((n) => n !== undefined),
  );
  const closed = new Set<string>();
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (closed.has(name)) continue;
    closed.add(name);
    const schema = schemas[name] as Json;
    if (schema.type === 'object') schema.additionalProperties ??= false;
    for (const node of nodes(schema)) {
      const inner = refName(node.$ref);
      if (inner !== undefined) pending.push(inner);
      if (node.type === 'object' && node.properties) node.additionalProperties ??= false;
    }
  }
}

/**
 * Routes taking `select=` answer `<Name>Selection` (getSchemaPath('CaseSelection')): derived here
 * from `<Name>`, so a selection never drifts from the whole resource.
 */
function addSelections(document: OpenAPIObject, schemas: Json): void {
  const wanted = [...nodes(document)]
    .map((node) => refName(node.$ref))
    .filter((name) => name?.endsWith('Selection') && !schemas[name]);
  for (const name of new Set(wanted)) addSelection(schemas, name!.slice(0, -'Selection'.length));
}

/** `<name>Selection`: the schema with nothing required but a top-level `id`, deeply. */
function addSelection(schemas: Json, name: string, top = true): string {
  const selection = `${name}Selection`;
  if (schemas[selection]) return selection;
  if (!schemas[name]) throw new Error(`OpenAPI: no schema ${name} to select from`);
  const copy = structuredClone(schemas[name]) as Json;
  schemas[selection] = copy;
  for (const node of nodes(copy)) {
    if (Array.isArray(node.required) && node !== copy) delete node.required;
    const inner = refName(node.$ref);
    if (inner !== undefined)
      node.$ref = `#/components/schemas/${addSelection(schemas, inner, false)}`;
  }
  if (top) copy.required = ['id'];
  else delete copy.required;
  copy.description = `${String(copy.description ?? name)}; with \`select\`, only the fields asked for`;
  return selection;
}
