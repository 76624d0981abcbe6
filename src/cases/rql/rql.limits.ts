/**
 * How much one RQL query may ask for. Far above what a person or the platform's client writes,
 * and far below what would make SQLite refuse the statement (its expression tree is limited to
 * a depth of 1000), so an oversized query is a 400 naming the limit rather than a 500.
 */
export const RQL_LIMITS = {
  /** Terms joined by `&` plus operators nested inside them (`null()` included). */
  conditions: 100,
  /** Field names and values, `in`/`out` lists included. */
  values: 1000,
  /** Levels of parentheses. */
  depth: 16,
  /** Characters in one field name or value, after decoding. */
  valueLength: 512,
} as const;
