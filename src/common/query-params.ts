import { BadRequest } from './http-errors';

/** A query parameter given once; `?revision=1&revision=2` is ambiguous and refused. */
export function single(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new BadRequest(`Query parameter ${name} may be given only once.`);
}
