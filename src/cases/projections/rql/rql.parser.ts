import { BadRequest } from '../../../common/http-errors';

/** A word: a field name or a value, percent-decoded. */
export interface RqlWord {
  readonly kind: 'word';
  readonly value: string;
}

/** `name(arg, …)`: an operator, or `null()` as a value. */
export interface RqlCall {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly RqlArg[];
}

/** `(a,b,c)`: the value list of `in` and `out`. */
export interface RqlTuple {
  readonly kind: 'tuple';
  readonly items: readonly RqlArg[];
}

export type RqlArg = RqlWord | RqlCall | RqlTuple;

/** A top-level `name=value` term: `limit=10`, `order=-revision`, `status=Querying`. */
export interface RqlAssignment {
  readonly name: string;
  readonly value: string;
}

export interface ParsedRql {
  readonly calls: readonly RqlCall[];
  readonly assignments: readonly RqlAssignment[];
}

export class InvalidRql extends BadRequest {}

const MAX_DEPTH = 16;
const ASSIGNMENT = /^([A-Za-z_][\w.]*)=([^=]*)$/;

/**
 * Parses the raw (still percent-encoded) query string, so that an encoded `%2C` or `%29` is part
 * of a value rather than a separator. Only syntax is checked here; which operators and fields
 * exist is for the caller.
 */
export function parseRql(rawQuery: string): ParsedRql {
  const calls: RqlCall[] = [];
  const assignments: RqlAssignment[] = [];
  for (const term of rawQuery.split('&')) {
    if (term === '') continue;
    const assignment = ASSIGNMENT.exec(term);
    if (assignment) {
      assignments.push({ name: decode(assignment[1]!), value: decode(assignment[2]!) });
      continue;
    }
    calls.push(new CallParser(term).parse());
  }
  return { calls, assignments };
}

type Token = '(' | ')' | ',' | { word: string };

class CallParser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly term: string) {
    this.tokens = tokenize(term);
  }

  parse(): RqlCall {
    const arg = this.arg(0);
    if (arg.kind !== 'call') {
      throw new InvalidRql(
        `Invalid RQL: expected an operator call such as eq(field,value) or field=value, got "${decode(this.term)}".`,
      );
    }
    if (this.index < this.tokens.length) this.unexpected();
    return arg;
  }

  private arg(depth: number): RqlArg {
    if (depth > MAX_DEPTH)
      throw new InvalidRql(`Invalid RQL: nested deeper than ${MAX_DEPTH} levels.`);
    const token = this.tokens[this.index];
    if (token === '(') {
      this.index += 1;
      return { kind: 'tuple', items: this.list(depth) };
    }
    if (token === undefined || typeof token === 'string') return this.unexpected();
    this.index += 1;
    if (this.tokens[this.index] !== '(') return { kind: 'word', value: token.word };
    this.index += 1;
    return { kind: 'call', name: token.word, args: this.list(depth) };
  }

  /** Arguments up to and including the closing parenthesis. */
  private list(depth: number): RqlArg[] {
    const items: RqlArg[] = [];
    if (this.tokens[this.index] === ')') {
      this.index += 1;
      return items;
    }
    for (;;) {
      items.push(this.arg(depth + 1));
      const token = this.tokens[this.index];
      this.index += 1;
      if (token === ')') return items;
      if (token !== ',') return this.unexpected(token, 'expected "," or ")"');
    }
  }

  private unexpected(token = this.tokens[this.index], expected?: string): never {
    const seen =
      token === undefined
        ? 'the end'
        : typeof token === 'string'
          ? `"${token}"`
          : `"${token.word}"`;
    throw new InvalidRql(
      `Invalid RQL: unexpected ${seen} in "${decode(this.term)}"${expected ? `, ${expected}` : ''}.`,
    );
  }
}

function tokenize(term: string): Token[] {
  const tokens: Token[] = [];
  for (const piece of term.split(/([(),])/)) {
    if (piece === '(' || piece === ')' || piece === ',') tokens.push(piece);
    else if (piece.includes('=')) {
      throw new InvalidRql(
        `Invalid RQL: "=" may only follow a top-level field name, in "${decode(term)}".`,
      );
    } else if (piece !== '') tokens.push({ word: decode(piece) });
  }
  return tokens;
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new InvalidRql(`Invalid RQL: malformed percent-encoding in "${raw}".`);
  }
}
