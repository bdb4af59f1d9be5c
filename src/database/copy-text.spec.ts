import { copyTextField, copyTextRows } from './copy-text';

describe('COPY text format', () => {
  it('escapes backslash, newline, carriage return and tab, and nothing else', () => {
    expect(copyTextField('a\\b\nc\rd\te')).toBe('a\\\\b\\nc\\rd\\te');
    expect(copyTextField('\\N and \\. stay text')).toBe('\\\\N and \\\\. stay text');
    expect(copyTextField('"quotes", commas; ünïcode')).toBe('"quotes", commas; ünïcode');
  });

  it('writes NULL as \\N and an empty string as nothing', () => {
    expect(copyTextRows([[null, '', 'x']])).toBe('\\N\t\tx\n');
  });

  it('ends every row with a newline', () => {
    expect(
      copyTextRows([
        ['a', 'b'],
        ['c\td', null],
      ]),
    ).toBe('a\tb\nc\\td\t\\N\n');
  });
});
