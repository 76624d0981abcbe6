import { BadRequest } from './http-errors';

export interface Page {
  readonly offset: number;
  readonly limit: number;
}

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 1000;

export interface Paginated<T> {
  $meta: { pagination: { offset: number; limit: number; total: number } };
  data: T[];
}

export function parsePage(limit: string | undefined, offset: string | undefined): Page {
  return { limit: parseLimit(limit), offset: parseOffset(offset) };
}

export const parseLimit = (raw: string | undefined): number =>
  whole('limit', raw, DEFAULT_LIMIT, 1, MAX_LIMIT);

export const parseOffset = (raw: string | undefined): number =>
  whole('offset', raw, 0, 0, Number.MAX_SAFE_INTEGER);

export function paginate<T>(items: readonly T[], { offset, limit }: Page): Paginated<T> {
  return {
    $meta: { pagination: { offset, limit, total: items.length } },
    data: items.slice(offset, offset + limit),
  };
}

function whole(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d{1,16}$/.test(raw) || value < min || value > max) {
    throw new BadRequest(
      `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}.`,
    );
  }
  return value;
}
