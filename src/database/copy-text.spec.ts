import { copyTextChunks, copyTextField } from './copy-text';

describe('COPY text format', () => {
  it('escapes backslash, newline, carriage return and tab, and nothing else', () => {
    expect(copyTextField('a\\b\nc\rd\te')).toBe('a\\\\b\\nc\\rd\\te');
    expect(copyTextField('\\N and \\. stay text')).toBe('\\\\N and \\\\. stay text');
    expect(copyTextField('"quotes", commas; ünïcode')).toBe('"quotes", commas; ünïcode');
  });

  it('writes NULL as \\N and an empty string as nothing', () => {
    expect([...copyTextChunks([[null, '', 'x']])]).toEqual(['\\N\t\tx\n']);
  });

  it('ends every row with a newline and cuts chunks only between rows', () => {
    const rows = [
      ['a', 'b'],
      ['c\td', null],
      ['e', 'f'],
    ];
    expect([...copyTextChunks(rows)]).toEqual(['a\tb\nc\\td\t\\N\ne\tf\n']);
    expect([...copyTextChunks(rows, 5)]).toEqual(['a\tb\nc\\td\t\\N\n', 'e\tf\n']);
    expect([...copyTextChunks([])]).toEqual([]);
  });
});
