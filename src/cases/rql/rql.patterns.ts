/**
 * The platform's `like`/`ilike` patterns: `*` matches any run of characters, `\*` is a literal
 * asterisk and `\\` a literal backslash; every other character matches itself.
 */
function pieces(pattern: string): { text: string; wildcard: boolean }[] {
  const out: { text: string; wildcard: boolean }[] = [];
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    const next = pattern[i + 1];
    if (c === '\\' && (next === '*' || next === '\\')) {
      out.push({ text: next, wildcard: false });
      i += 1;
    } else out.push({ text: c, wildcard: c === '*' });
  }
  return out;
}

/** For SQLite `LIKE … ESCAPE '\'`, which ignores ASCII letter case. */
export function ilikePattern(pattern: string): string {
  return pieces(pattern)
    .map(({ text, wildcard }) => (wildcard ? '%' : text.replace(/[\\%_]/, (c) => `\\${c}`)))
    .join('');
}

/** For SQLite `GLOB`, which is case-sensitive; its own wildcards are matched literally. */
export function likeGlob(pattern: string): string {
  return pieces(pattern)
    .map(({ text, wildcard }) => (wildcard ? '*' : text.replace(/[*?[]/, (c) => `[${c}]`)))
    .join('');
}
