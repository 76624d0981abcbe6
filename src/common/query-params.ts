import type { FastifyRequest } from 'fastify';
import { BadRequest } from './http-errors';

/** A query parameter given once; `?revision=1&revision=2` is ambiguous and refused. */
export function single(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new BadRequest(`Query parameter ${name} may be given only once.`);
}

/**
 * The query string as sent, still percent-encoded: RQL splits it on `&` before decoding each
 * term, so an encoded `%26` stays inside its value.
 */
export function rawQueryOf(request: FastifyRequest): string {
  const { url } = request;
  const mark = url.indexOf('?');
  return mark < 0 ? '' : url.slice(mark + 1);
}

/**
 * One parameter read from the raw query and percent-decoded without turning `+` into a space,
 * so `select=+audit` keeps its sign as the platform's clients mean it.
 */
export function rawQueryParam(request: FastifyRequest, name: string): string | undefined {
  const values = rawQueryOf(request)
    .split('&')
    .filter((term) => term.startsWith(`${name}=`))
    .map((term) => term.slice(name.length + 1));
  if (values.length > 1) throw new BadRequest(`Query parameter ${name} may be given only once.`);
  if (values.length === 0) return undefined;
  try {
    return decodeURIComponent(values[0]!);
  } catch {
    throw new BadRequest(`Query parameter ${name} has malformed percent-encoding.`);
  }
}
