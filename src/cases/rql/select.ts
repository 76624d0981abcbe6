import { BadRequest } from '../../common/http-errors';

/**
 * The fields a resource has, for `select`: a leaf is `true`, `'open'` admits any path below it
 * (free-form data such as a parameter's value). Arrays are described by their items' fields.
 */
export interface FieldTree {
  readonly [name: string]: FieldTree | true | 'open';
}

type Mask = Map<string, Mask | true>;

/** What `select=` keeps: only `include` (when given, with `id` always), less `exclude`. */
export interface Selection {
  readonly include?: Mask;
  readonly exclude: Mask;
}

export class InvalidSelect extends BadRequest {}

/**
 * `select=id,status,audit.created` keeps only those (and `id`); `select=-parameters` drops one;
 * `select=+queue.name` asks for a field on top of the default representation, which here is
 * already whole, so it only has to exist. The same rules on every route that takes `select`.
 */
export function parseSelect(raw: string, fields: FieldTree): Selection {
  let include: Mask | undefined;
  const exclude: Mask = new Map();
  for (const item of raw.split(',')) {
    const sign = item[0] === '-' || item[0] === '+' ? item[0] : '';
    const path = item.slice(sign.length).split('.');
    checkPath(item, path, fields);
    if (sign === '-') {
      if (item === '-id') throw new InvalidSelect('Invalid select: id is always present.');
      addPath(exclude, path);
    } else if (sign === '') {
      include ??= new Map([['id', true]]);
      addPath(include, path);
    }
  }
  return include ? { include, exclude } : { exclude };
}

/** The selected part of a presented resource (an object, or each item of a list). */
export function applySelection<T extends object>(value: T, selection: Selection | undefined): T {
  if (!selection) return value;
  const included = selection.include ? pick(value, selection.include) : value;
  return omit(included, selection.exclude) as T;
}

function checkPath(item: string, path: string[], fields: FieldTree): void {
  let node: FieldTree | true | 'open' = fields;
  for (const segment of path) {
    if (node === 'open') return;
    const next: FieldTree | true | 'open' | undefined =
      node !== true && Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (segment === '' || next === undefined) {
      const known = node === true ? [] : Object.keys(node);
      throw new InvalidSelect(
        `Invalid select: unknown field "${item.replace(/^[-+]/, '')}"` +
          (known.length ? `; fields here are ${known.join(', ')}.` : '.'),
      );
    }
    node = next;
  }
}

function addPath(mask: Mask, path: string[]): void {
  let node = mask;
  for (const [i, segment] of path.entries()) {
    const existing = node.get(segment);
    if (existing === true) return;
    if (i === path.length - 1) {
      node.set(segment, true);
      return;
    }
    const child: Mask = existing ?? new Map();
    node.set(segment, child);
    node = child;
  }
}

function pick(value: unknown, mask: Mask): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, mask));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of mask) {
    if (!Object.hasOwn(value, key)) continue;
    const field = (value as Record<string, unknown>)[key];
    out[key] = sub === true ? field : pick(field, sub);
  }
  return out;
}

function omit(value: unknown, mask: Mask): unknown {
  if (Array.isArray(value)) return value.map((item) => omit(item, mask));
  if (value === null || typeof value !== 'object' || mask.size === 0) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [key, sub] of mask) {
    if (!Object.hasOwn(out, key)) continue;
    if (sub === true) delete out[key];
    else out[key] = omit(out[key], sub);
  }
  return out;
}
