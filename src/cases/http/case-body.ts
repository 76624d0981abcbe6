import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ValidationFailed } from '../../common/http-errors';
import { cacheValidationMetadata } from './validation-metadata.cache';

cacheValidationMetadata();

export interface ValidatedBody<T> {
  /** The body as sent, less the ignored read-only fields; its shape is that of the DTO. */
  readonly value: T;
  /** Read-only fields that were present and ignored, reported in `$meta.ignored`. */
  readonly ignored: string[];
}

/**
 * Validates a JSON body against a DTO: read-only Case fields are dropped and reported, anything
 * that is no part of the DTO is a 400, and every failing field is named.
 */
export function validateBody<T extends object>(
  dto: ClassConstructor<T>,
  raw: unknown,
  readOnly: readonly string[] = [],
): ValidatedBody<T> {
  const input = raw === undefined || raw === null || raw === '' ? {} : raw;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationFailed('The request body must be a JSON object.', {
      body: ['must be a JSON object'],
    });
  }
  const { rest, ignored } = withoutReadOnly(input as Record<string, unknown>, readOnly);
  const errors = validateSync(plainToInstance(dto, rest), {
    whitelist: true,
    forbidNonWhitelisted: true,
    // Bodies without fields (process, complete) have no metadata to find; whitelisting still applies.
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) {
    const byField = flatten(errors);
    throw new ValidationFailed(`Invalid fields: ${Object.keys(byField).join(', ')}.`, byField);
  }
  return { value: rest as T, ignored };
}

function withoutReadOnly(body: Record<string, unknown>, paths: readonly string[]) {
  const rest: Record<string, unknown> = { ...body };
  const ignored: string[] = [];
  for (const path of paths) {
    const [head, tail] = path.split('.', 2);
    if (!(head in rest)) continue;
    if (tail === undefined) {
      delete rest[head];
      ignored.push(path);
      continue;
    }
    const nested = rest[head];
    if (nested && typeof nested === 'object' && !Array.isArray(nested) && tail in nested) {
      const copy = { ...(nested as Record<string, unknown>) };
      delete copy[tail];
      rest[head] = copy;
      ignored.push(path);
    }
  }
  return { rest, ignored };
}

function flatten(errors: ValidationError[], prefix = ''): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      // forbidNonWhitelisted reports unknown fields on their own path, so name them there.
      result[path] = Object.values(error.constraints).map((m) =>
        m.replace(/^property (\S+) should not exist$/, 'is not a field of this request'),
      );
    }
    Object.assign(result, flatten(error.children ?? [], path));
  }
  return result;
}
