import { OpenApiConformance, type Answer } from '../e2e/support/openapi-conformance';

/** The e2e suite's response check must fail on every kind of departure from the description. */
const description = {
  openapi: '3.1.0',
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        responses: {
          '200': {
            headers: {
              ETag: { required: true, schema: { type: 'string', pattern: '^W/"\\d+"$' } },
            },
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    owner: { anyOf: [{ $ref: '#/components/schemas/Owner' }, { type: 'null' }] },
                  },
                  required: ['id'],
                },
              },
            },
          },
          '304': { headers: { ETag: { required: true, schema: { type: 'string' } } } },
          '404': {
            content: {
              'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Owner: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
      Problem: {
        type: 'object',
        properties: { status: { type: 'integer' } },
        required: ['status'],
      },
    },
  },
};

function answer(status: number, headers: Record<string, string>, body?: unknown): Answer {
  const text = body === undefined ? '' : JSON.stringify(body);
  return { status, headers: new Headers(headers), text };
}

describe('OpenApiConformance', () => {
  const conformance = new OpenApiConformance(description);
  const get = { method: 'GET', path: '/things/T-1?select=id' };
  const json = { 'content-type': 'application/json; charset=utf-8', etag: 'W/"3"' };

  it('accepts an answer as documented, $refs and nulls included', () => {
    expect(conformance.violations(get, answer(200, json, { id: 'T-1', owner: null }))).toEqual([]);
    expect(conformance.violations(get, answer(200, json, { id: 'T-1', owner: { n: 2 } }))).toEqual(
      [],
    );
    expect(conformance.violations(get, answer(304, { etag: 'W/"3"' }))).toEqual([]);
  });

  it.each([
    ['an undocumented status', answer(500, json, { id: 'T-1' }), 'does not document status 500'],
    [
      'a missing required header',
      answer(200, { 'content-type': 'application/json' }, { id: 'x' }),
      'missing header ETag',
    ],
    ['a header off its schema', answer(200, { ...json, etag: '3' }, { id: 'x' }), 'header ETag'],
    ['a body off its schema', answer(200, json, { id: 'x', owner: { n: 1.5 } }), '/owner/n'],
    [
      'a missing required field',
      answer(200, json, { owner: null }),
      "must have required property 'id'",
    ],
    [
      'an undocumented media type',
      answer(404, { 'content-type': 'application/json' }, { status: 404 }),
      'no application/json',
    ],
    ['a body where none is documented', answer(304, json, { id: 'x' }), 'documents no body'],
  ])('refuses %s', (_, given, expected) => {
    expect(conformance.violations(get, given).join('\n')).toContain(expected);
  });

  it('takes an unknown path only as a problem of the server', () => {
    const unknown = { method: 'GET', path: '/nowhere' };
    const problem = { 'content-type': 'application/problem+json' };
    expect(conformance.violations(unknown, answer(404, problem, { status: 404 }))).toEqual([]);
    expect(conformance.violations(unknown, answer(404, problem, { title: 'x' }))).not.toEqual([]);
    expect(conformance.violations(unknown, answer(200, json, { id: 'x' }))).not.toEqual([]);
    const post = { method: 'POST', path: '/things/T-1' };
    expect(conformance.violations(post, answer(404, problem, { status: 404 }))).toEqual([]);
  });
});
