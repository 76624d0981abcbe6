import type { OpenAPIObject } from '@nestjs/swagger';
import { refineDescription } from '../../src/openapi.refine';

/** The generic rules applied to what @nestjs/swagger generates, on a description of one route. */
describe('refineDescription', () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const generated = (): OpenAPIObject => ({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things': {
        post: {
          security: [{ bearer: [] }],
          parameters: [{ name: 'x-correlation-id', in: 'header' }],
          requestBody: { content: { 'application/json': { schema: ref('ThingRequest') } } },
          responses: {
            '201': {
              description: 'made',
              content: { 'application/json': { schema: ref('Thing') } },
            },
          },
        },
      },
      '/things/{id}': {
        get: {
          responses: {
            '200': {
              description: 'selected',
              content: { 'application/json': { schema: ref('ThingSelection') } },
            },
          },
        },
      },
      '/health': { get: { responses: { '200': { description: 'up' } } } },
    },
    components: {
      schemas: {
        ThingRequest: {
          type: 'object',
          properties: { owner: { nullable: true, type: 'object', allOf: [ref('Owner')] } },
        },
        Owner: {
          type: 'object',
          properties: { id: { type: 'string' }, note: { type: 'string', nullable: true } },
          required: ['id'],
        },
        Thing: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            owner: { nullable: false, allOf: [ref('Owner')], description: 'who' },
            value: { oneOf: [{}], description: 'any JSON value' },
          },
          required: ['id', 'owner'],
        },
      },
    },
  });

  const given = generated();
  const refined = refineDescription(given);
  const schemas = refined.components!.schemas as Record<string, any>;

  it('writes nullability the OpenAPI 3.1 way', () => {
    expect(schemas.ThingRequest.properties.owner).toEqual({
      anyOf: [ref('Owner'), { type: 'null' }],
    });
    expect(schemas.Owner.properties.note).toEqual({ type: ['string', 'null'] });
    expect(schemas.Thing.properties.owner).toEqual({ $ref: ref('Owner').$ref, description: 'who' });
    expect(schemas.Thing.properties.value).toEqual({ description: 'any JSON value' });
  });

  it('closes request bodies and the shapes inside them, and only those', () => {
    expect(schemas.ThingRequest.additionalProperties).toBe(false);
    expect(schemas.Owner.additionalProperties).toBe(false);
    expect(schemas.Thing.additionalProperties).toBeUndefined();
  });

  it('derives the selection a route answers from the whole resource: only a top-level id is sure', () => {
    expect(schemas.ThingSelection.required).toEqual(['id']);
    expect(schemas.ThingSelection.properties.owner).toEqual({
      $ref: ref('OwnerSelection').$ref,
      description: 'who',
    });
    expect(schemas.OwnerSelection.required).toBeUndefined();
    expect(schemas.OwnerSelection.properties).toEqual(schemas.Owner.properties);
    expect(schemas.Thing.required).toEqual(['id', 'owner']);
  });

  it('puts the correlation id on every operation and answer, once', () => {
    const post = refined.paths['/things'].post!;
    expect(post.parameters).toEqual([{ $ref: '#/components/parameters/XCorrelationId' }]);
    expect((post.responses['201'] as any).headers['X-Correlation-Id'].required).toBe(true);
    expect((refined.paths['/health'].get!.responses['200'] as any).headers).toHaveProperty(
      'X-Correlation-Id',
    );
  });

  it('marks routes without a security requirement public and keeps the others', () => {
    expect(refined.paths['/health'].get!.security).toEqual([]);
    expect(refined.paths['/things'].post!.security).toEqual([{ bearer: [] }]);
  });

  it('leaves the generated description as it was', () => {
    expect(given).toEqual(generated());
  });
});
