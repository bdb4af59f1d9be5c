import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../src/common/http/json-body';

const nested = (levels: number, open = '[', close = ']') => open.repeat(levels) + close.repeat(levels);

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, up to the limit and one past it', () => {
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    const objects = '{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1);
    expect(nestsDeeperThan(objects, MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan('[[1],[2],{"a":[3]}]', 3)).toBe(false);
    expect(nestsDeeperThan('[[1],[2],{"a":[3]}]', 2)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[\\" and \\\\', c: ['"]]]]'] });
    expect(nestsDeeperThan(text, 2)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify(['\\', [['x']]]), 2)).toBe(true);
  });

  it('leaves text that is not JSON to the parser', () => {
    expect(nestsDeeperThan('', 1)).toBe(false);
    expect(nestsDeeperThan(']]]]', 1)).toBe(false);
    expect(nestsDeeperThan('"unterminated [[[[', 1)).toBe(false);
  });
});
