import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { BadRequest } from './http-errors';

/**
 * The deepest array/object nesting a body may have. Every command body is at most four levels
 * deep (`parameters[].constraints.visibleToReporter`, a parameter `value` a little more), so 32
 * leaves room for any sane `value` while keeping class-transformer and class-validator, which
 * recurse once per level, far from the stack limit they hit at a few thousand levels.
 */
export const MAX_JSON_DEPTH = 32;

/** A UTF-16 code unit with no partner: legal in JSON text (`"\ud800"`), not in any real text. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Bodies are JSON or nothing: other media types get 415 instead of reaching validation as a
 * string, and an empty body with a JSON content type is "no body", as action routes expect.
 * The depth is measured on the text before parsing, so a body nested too deeply is refused
 * before any recursive code (the parser included) sees it.
 */
export function acceptJsonOnly(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const parser: FastifyBodyParser<string> = (request, body, done) => {
    if (body.trim() === '') return done(null, undefined);
    if (jsonDepth(body) > MAX_JSON_DEPTH) {
      return done(
        new BadRequest(
          `The body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels, the most this service accepts.`,
        ),
      );
    }
    parseJson(request, body, (error, parsed) => {
      if (error) return done(error);
      const path = loneSurrogatePath(parsed);
      if (path !== undefined) {
        return done(
          new BadRequest(
            `The body holds a lone UTF-16 surrogate at ${path}: strings must be well-formed Unicode.`,
          ),
        );
      }
      done(null, parsed);
    });
  };
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, parser);
  fastify.addContentTypeParser(/^application\/[\w.+-]+\+json$/, { parseAs: 'string' }, parser);
}

/**
 * The deepest nesting of `[` and `{` in JSON text, brackets inside strings not counted. One
 * pass, no recursion; on malformed text the answer is meaningless but the parser refuses it.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped, whatever it is
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Where a parsed body (already depth-bounded) holds a lone surrogate, in a key or a string. */
function loneSurrogatePath(value: unknown, path = 'body'): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (LONE_SURROGATE.test(key)) return at;
    const found = loneSurrogatePath(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
