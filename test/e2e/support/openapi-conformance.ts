import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Checks an answer of the service against its served OpenAPI 3.1 description: the operation and
 * the status must be documented, the body must be of a documented media type and validate against
 * its schema (JSON Schema 2020-12, ajv), and every required header must be there and valid. An
 * answer to a path the description does not have must be a problem (a 404 or 405 of the server).
 */
export class OpenApiConformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly routes: Route[];

  constructor(private readonly description: Description) {
    addFormats(this.ajv);
    this.ajv.addSchema(description as object, 'openapi');
    this.routes = Object.keys(description.paths).map((template) => ({
      template,
      pattern: new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}$`,
      ),
    }));
  }

  /** Every way the answer departs from the description; empty when it conforms. */
  violations(request: { method: string; path: string }, answer: Answer): string[] {
    const path = request.path.split('?')[0];
    const route = this.routes.find((r) => r.pattern.test(path));
    const operation = route && this.description.paths[route.template][request.method.toLowerCase()];
    if (!operation) {
      if (answer.status !== 404 && answer.status !== 405) {
        return [
          `${request.method} ${path} is not in the description but answered ${answer.status}`,
        ];
      }
      return this.bodyViolations(
        '#/components/schemas/Problem',
        answer,
        'application/problem+json',
      );
    }
    const pointer = `#/paths/${escape(route.template)}/${request.method.toLowerCase()}`;
    const documented = operation.responses[String(answer.status)];
    if (!documented) {
      return [`${operation.operationId} does not document status ${answer.status}`];
    }
    const responsePointer = `${pointer}/responses/${answer.status}`;
    return [
      ...this.headerViolations(responsePointer, documented, answer),
      ...this.contentViolations(responsePointer, documented, answer),
    ];
  }

  private headerViolations(pointer: string, response: Response, answer: Answer): string[] {
    return Object.entries(response.headers ?? {}).flatMap(([name, header]) => {
      const value = answer.headers.get(name);
      if (value === null) return header.required ? [`missing header ${name}`] : [];
      const validate = this.validator(`${pointer}/headers/${escape(name)}/schema`);
      return validate(value)
        ? []
        : [`header ${name}: ${JSON.stringify(value)} ${errorsOf(validate)}`];
    });
  }

  private contentViolations(pointer: string, response: Response, answer: Answer): string[] {
    const type = (answer.headers.get('content-type') ?? '').split(';')[0].trim();
    if (!response.content) {
      return answer.text === '' ? [] : [`status ${answer.status} documents no body, got ${type}`];
    }
    if (!response.content[type]) {
      return [`status ${answer.status} documents no ${type || 'bodiless'} answer`];
    }
    if (answer.text === undefined) return [];
    return this.bodyViolations(`${pointer}/content/${escape(type)}/schema`, answer, type);
  }

  private bodyViolations(pointer: string, answer: Answer, type: string): string[] {
    const validate = this.validator(pointer);
    const text = answer.text ?? '';
    const body = type.includes('json') ? JSON.parse(text) : text;
    return validate(body) ? [] : [`body (${type}) ${errorsOf(validate)}`];
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi${pointer}` });
      this.compiled.set(pointer, validate);
    }
    return validate;
  }
}

export interface Description {
  paths: Record<string, Record<string, Operation>>;
}
interface Operation {
  operationId: string;
  responses: Record<string, Response>;
}
interface Response {
  headers?: Record<string, { required?: boolean }>;
  content?: Record<string, unknown>;
}
interface Route {
  template: string;
  pattern: RegExp;
}
export interface Answer {
  status: number;
  headers: Headers;
  /** The body; left out for an endless stream, whose status, headers and media type still count. */
  text?: string;
}

/** A JSON pointer segment (RFC 6901), URI-encoded for use in a `$ref`. */
const escape = (segment: string) =>
  encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));

const errorsOf = (validate: ValidateFunction) =>
  (validate.errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
    .join('; ');
