import { jsonDepth, MAX_JSON_DEPTH } from '../../src/common/json-body.parser';

describe('jsonDepth', () => {
  it.each<[string, number]>([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['[[],[[]],[]]', 3],
  ])('measures %s as %i levels', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepth('{"a":"[[[{{{","b":"\\"[[[","c":"\\\\"}')).toBe(1);
  });

  it('measures a million levels in one pass, without recursion', () => {
    const depth = 1_000_000;
    expect(jsonDepth(`${'['.repeat(depth)}${']'.repeat(depth)}`)).toBe(depth);
  });

  it('leaves room above the deepest command body', () => {
    // parameters[].constraints.visibleToReporter, inside the body object: four levels.
    expect(jsonDepth('{"parameters":[{"constraints":{"visibleToReporter":true}}]}')).toBe(4);
    expect(MAX_JSON_DEPTH).toBeGreaterThan(4);
  });
});
