import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { rawQueryOf } from './query-params';

/**
 * Fastify response schemas (compiled by fast-json-stringify) derived from the OpenAPI
 * description, so a shape changed there changes the serializer with it. fast-json-stringify
 * writes declared fields in the schema's order, drops undeclared ones and coerces values to the
 * declared types; the derived schemas keep the bytes JSON.stringify writes for every answer
 * (test/common/compiled-responses.spec.ts compares both on the presenters' output):
 * - nothing is required and no field is dropped (an object keeps its undeclared fields);
 * - what may come in another order than the description's is left to JSON.stringify: shapes a
 *   client sends (a queue, an assignee, a parameter: stored and answered in the client's key
 *   order), objects mixing named and free fields, choices between shapes other than "or null",
 *   and every `select=` answer (in the order the caller asked for).
 */
export function compileResponsesFromDescription(
  fastify: FastifyInstance,
  document: OpenAPIObject,
): void {
  const routes = responseSchemasByRoute(document);
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const compiled = routes.get(routeKey(methods[0]!, route.url.replace(/:(\w+)/g, '{$1}')));
    if (!compiled || methods.length > 1 || route.schema?.response) return;
    route.schema = { ...route.schema, response: compiled.response };
    if (compiled.takesSelect) route.preSerialization = [...hooks(route), selectionsAsAsked];
  });
}

type Json = Record<string, unknown>;

interface CompiledRoute {
  response: Json;
  takesSelect: boolean;
}

const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

const JSON_TYPES = ['application/json', 'application/problem+json'];

/** Per `METHOD /path`: the Fastify `schema.response` of every JSON answer the route documents. */
export function responseSchemasByRoute(document: OpenAPIObject): Map<string, CompiledRoute> {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  const shapes: Shapes = { schemas, sentByClients: requestShapes(document, schemas) };
  const routes = new Map<string, CompiledRoute>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, Json>)) {
      const response: Record<string, { content: Json }> = {};
      for (const [status, answer] of Object.entries((operation.responses ?? {}) as Json)) {
        const content = ((answer as Json).content ?? {}) as Record<string, Json>;
        for (const type of JSON_TYPES.filter((media) => content[media]?.schema)) {
          addAnswer(response, status, type, serializable(content[type]!.schema, shapes));
        }
      }
      if (Object.keys(response).length === 0) continue;
      const parameters = (operation.parameters ?? []) as Json[];
      const takesSelect = parameters.some((p) => p.in === 'query' && p.name === 'select');
      routes.set(routeKey(method, path), { response, takesSelect });
    }
  }
  return routes;
}

/**
 * Error answers share one shape (Problem) on most routes: one serializer per status class
 * (`4xx`, which Fastify falls back to) instead of one per status, unless the shapes differ.
 */
function addAnswer(
  response: Record<string, { content: Json }>,
  status: string,
  type: string,
  schema: Json,
) {
  const group = /^[45]\d\d$/.test(status) ? `${status[0]}xx` : status;
  const shared = response[group]?.content[type];
  const key =
    shared === undefined || JSON.stringify(shared) === JSON.stringify({ schema }) ? group : status;
  (response[key] ??= { content: {} }).content[type] = { schema };
}

interface Shapes {
  readonly schemas: Record<string, Json>;
  /** Shapes a client sends (in a request body): stored and answered in the client's key order. */
  readonly sentByClients: ReadonlySet<string>;
}

/** Every component a request body refers to, directly or inside another. */
function requestShapes(document: OpenAPIObject, schemas: Record<string, Json>): Set<string> {
  const pending = Object.values(document.paths).flatMap((item) =>
    Object.values(item as Record<string, Json>).flatMap((operation) =>
      refsIn(operation.requestBody),
    ),
  );
  const found = new Set<string>();
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (found.has(name) || !schemas[name]) continue;
    found.add(name);
    pending.push(...refsIn(schemas[name]));
  }
  return found;
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  const { $ref } = value as Json;
  const own = typeof $ref === 'string' ? [$ref.replace(REF_PREFIX, '')] : [];
  return [...own, ...Object.values(value).flatMap(refsIn)];
}

const REF_PREFIX = '#/components/schemas/';

/**
 * A copy of a description schema that fast-json-stringify writes as JSON.stringify would: `$ref`s
 * inlined, nothing required, open objects kept open; a choice of shapes, a shape that contains
 * itself and a shape the client sent (its `…Selection` variant too) are left to JSON.stringify.
 */
export function serializable(
  schema: unknown,
  shapes: Shapes,
  seen: ReadonlySet<string> = new Set(),
): Json {
  const node = schema as Json;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace(REF_PREFIX, '');
    const sent = shapes.sentByClients.has(name.replace(/Selection$/, ''));
    if (sent || seen.has(name) || !shapes.schemas[name]) return {};
    return serializable(shapes.schemas[name], shapes, new Set([...seen, name]));
  }
  const choice = (node.anyOf ?? node.oneOf) as Json[] | undefined;
  if (choice) {
    const options = choice.filter((option) => option.type !== 'null');
    if (options.length !== 1 || options.length === choice.length) return {};
    const only = serializable(options[0], shapes, seen);
    return typeof only.type === 'string' ? { ...only, type: [only.type, 'null'] } : {};
  }
  const properties = node.properties as Record<string, unknown> | undefined;
  const extra = node.additionalProperties;
  // Named fields beside free ones (a health indicator's `status`) may come in any order.
  if (properties && extra !== undefined && extra !== false) return {};
  const copy: Json = {};
  if ('type' in node) copy.type = node.type;
  // A Date is written as its ISO string by both; other formats would be written differently.
  if (node.format === 'date-time') copy.format = node.format;
  if (node.items) copy.items = serializable(node.items, shapes, seen);
  if (properties) {
    copy.properties = Object.fromEntries(
      Object.entries(properties).map(([name, inner]) => [name, serializable(inner, shapes, seen)]),
    );
  }
  // Never drop a field, even where the description closes the shape: a test validating the
  // answer against the description is what finds a field too many, not the serializer.
  if (isObjectType(node.type)) {
    copy.additionalProperties =
      extra && typeof extra === 'object' ? serializable(extra, shapes, seen) : true;
  }
  return copy;
}

const isObjectType = (type: unknown) =>
  type === 'object' || (Array.isArray(type) && type.includes('object'));

function hooks(route: RouteOptions) {
  const existing = route.preSerialization;
  return existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
}

/** `select=id,audit,status` answers in the caller's order, which a schema cannot follow. */
function selectionsAsAsked(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: null, payload: unknown) => void,
): void {
  if (
    rawQueryOf(request)
      .split('&')
      .some((term) => term.startsWith('select='))
  ) {
    reply.serializer(JSON.stringify);
  }
  done(null, payload);
}
