import { BadRequest } from '../../common/http-errors';
import { RQL_LIMITS } from './rql.limits';

/** A value: a bare word, or a quoted string (quotes removed, so both give the same value). */
export interface RqlValue {
  readonly kind: 'value';
  readonly text: string;
  readonly quoted: boolean;
  readonly at: number;
}

/** `name(arg, …)`: an operator, or a constant such as `null()` and `empty()`. */
export interface RqlCall {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly RqlArg[];
  readonly at: number;
}

/** `(a,b,c)`: the value list of `in` and `out`. */
export interface RqlTuple {
  readonly kind: 'tuple';
  readonly items: readonly RqlArg[];
  readonly at: number;
}

export type RqlArg = RqlValue | RqlCall | RqlTuple;

/** A top-level `name=value` term: `limit=10`, `order=-revision`, `status='Querying'`. */
export interface RqlAssignment {
  readonly name: string;
  /** The text after `=`, for the reserved words, which take their own lists. */
  readonly text: string;
  /** The same text read as one value (`'a b'`, `null()`), for a field. */
  readonly value: () => RqlArg;
  readonly at: number;
}

export interface ParsedRql {
  readonly calls: readonly RqlCall[];
  readonly assignments: readonly RqlAssignment[];
}

/** A refused query: `detail` names where (a 1-based character of the decoded query) and why. */
export class InvalidRql extends BadRequest {
  constructor(reason: string, at?: number) {
    super(`Invalid RQL${at === undefined ? '' : ` at character ${at + 1}`}: ${reason}`);
  }
}

const ASSIGNMENT = /^([A-Za-z_][\w.]*)=/;
type Token =
  | { readonly kind: '(' | ')' | ','; readonly at: number }
  | { readonly kind: 'word'; readonly text: string; readonly quoted: boolean; readonly at: number };

/**
 * Parses a query string the way the platform does: split into terms on `&`, percent-decode each
 * term once, then read it, so `%28`, `%2C` and `%27` act as `(`, `,` and `'`. Quoting keeps any
 * character in a value: `eq(queue.name,'a, b (c)')`, or `"it's"` for a quote. Only syntax and
 * size are checked here; which operators and fields exist is for the caller.
 */
export function parseRql(rawQuery: string): ParsedRql {
  const calls: RqlCall[] = [];
  const assignments: RqlAssignment[] = [];
  const budget = new Budget();
  let offset = 0;
  for (const raw of rawQuery.split('&')) {
    const term = decode(raw, offset);
    const start = offset;
    offset += term.length + 1;
    if (term === '') continue;
    budget.take('conditions', start);
    const assignment = ASSIGNMENT.exec(term);
    // A generic form serializer (URLSearchParams, openapi-fetch) writes a bare term as a key with
    // an empty value: `eq(status,'x')=` is the term `eq(status,'x')`.
    if (!assignment && term.endsWith('=') && term.includes('(')) {
      const call = parseOne(term.slice(0, -1), start, budget);
      if (call.kind === 'call') {
        calls.push(call);
        continue;
      }
    }
    if (assignment) {
      const name = assignment[1]!;
      const text = term.slice(name.length + 1);
      const at = start + name.length + 1;
      assignments.push({ name, text, at: start, value: () => parseOne(text, at, budget) });
    } else {
      const call = parseOne(term, start, budget);
      if (call.kind !== 'call') {
        throw new InvalidRql(
          `expected an operator such as eq(field,value), or field=value, got "${term}".`,
          start,
        );
      }
      calls.push(call);
    }
  }
  return { calls, assignments };
}

function parseOne(text: string, at: number, budget: Budget): RqlArg {
  const parser = new TermParser(tokenize(text, at), text.length + at, budget);
  return parser.whole();
}

/** Counts what a query asks for, so a huge one is refused before any SQL is built. */
class Budget {
  private readonly used = { conditions: 0, values: 0 };

  take(kind: keyof Budget['used'], at: number): void {
    this.used[kind] += 1;
    const limit = RQL_LIMITS[kind];
    if (this.used[kind] > limit) {
      throw new InvalidRql(`more than ${limit} ${kind}; the limit is ${limit}.`, at);
    }
  }
}

class TermParser {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly end: number,
    private readonly budget: Budget,
  ) {}

  whole(): RqlArg {
    const arg = this.arg(0);
    if (this.index < this.tokens.length) this.unexpected('the end of the term');
    return arg;
  }

  private arg(depth: number): RqlArg {
    const token = this.tokens[this.index];
    if (depth > RQL_LIMITS.depth) {
      throw new InvalidRql(
        `nested deeper than the limit of ${RQL_LIMITS.depth} levels.`,
        token?.at,
      );
    }
    if (token?.kind === '(') {
      this.index += 1;
      return { kind: 'tuple', items: this.list(depth), at: token.at };
    }
    if (token?.kind !== 'word') return this.unexpected('a value or an operator');
    this.index += 1;
    if (this.tokens[this.index]?.kind !== '(' || token.quoted) {
      this.budget.take('values', token.at);
      return { kind: 'value', text: token.text, quoted: token.quoted, at: token.at };
    }
    this.index += 1;
    if (depth > 0) this.budget.take('conditions', token.at);
    return { kind: 'call', name: token.text, args: this.list(depth), at: token.at };
  }

  /** Arguments up to and including the closing parenthesis. */
  private list(depth: number): RqlArg[] {
    const items: RqlArg[] = [];
    if (this.tokens[this.index]?.kind === ')') {
      this.index += 1;
      return items;
    }
    for (;;) {
      items.push(this.arg(depth + 1));
      const token = this.tokens[this.index];
      if (token?.kind !== ',' && token?.kind !== ')') return this.unexpected('"," or ")"');
      this.index += 1;
      if (token.kind === ')') return items;
    }
  }

  private unexpected(expected: string): never {
    const token = this.tokens[this.index];
    const seen =
      token === undefined
        ? 'the end'
        : token.kind === 'word'
          ? `"${token.text}"`
          : `"${token.kind}"`;
    throw new InvalidRql(`expected ${expected}, got ${seen}.`, token?.at ?? this.end);
  }
}

/**
 * Punctuation is `(`, `)` and `,`; a value is quoted with `'` or `"` (a doubled quote inside
 * stands for one), or bare up to the next punctuation.
 */
function tokenize(term: string, offset: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < term.length) {
    const c = term[i]!;
    const at = offset + i;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, at });
      i += 1;
    } else if (c === "'" || c === '"') {
      let text = '';
      let j = i + 1;
      for (;;) {
        const close = term.indexOf(c, j);
        if (close < 0) throw new InvalidRql(`the value quoted here has no closing ${c}.`, at);
        text += term.slice(j, close);
        if (term[close + 1] !== c) {
          j = close + 1;
          break;
        }
        text += c;
        j = close + 2;
      }
      checkLength(text, at);
      tokens.push({ kind: 'word', text, quoted: true, at });
      i = j;
      if (i < term.length && !'(),'.includes(term[i]!)) {
        throw new InvalidRql(`expected "," or ")" after a quoted value.`, offset + i);
      }
    } else {
      const stop = term.slice(i).search(/[(),'"]/);
      const text = stop < 0 ? term.slice(i) : term.slice(i, i + stop);
      if (stop >= 0 && (term[i + stop] === "'" || term[i + stop] === '"')) {
        throw new InvalidRql('a quote may only start a value.', offset + i + stop);
      }
      checkLength(text, at);
      tokens.push({ kind: 'word', text, quoted: false, at });
      i += text.length;
    }
  }
  return tokens;
}

function checkLength(text: string, at: number): void {
  if (text.length > RQL_LIMITS.valueLength) {
    throw new InvalidRql(
      `a value longer than the limit of ${RQL_LIMITS.valueLength} characters.`,
      at,
    );
  }
}

function decode(raw: string, at: number): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new InvalidRql(`malformed percent-encoding in "${raw}".`, at);
  }
}
