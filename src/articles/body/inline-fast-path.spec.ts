import fc from 'fast-check';
import { parseDocument } from 'htmlparser2';
import sanitizeHtml from 'sanitize-html';
import { cleanInline, collapseWhitespace, serializeInline } from './inline';

/** cleanInline's fast path (text without markup or entities) gives what the full path gives. */
describe('cleanInline fast path', () => {
  const full = (text: string) =>
    serializeInline(
      parseDocument(
        sanitizeHtml(text, {
          allowedTags: ['b', 'i', 'a', 'strong', 'em', 'br'],
          allowedAttributes: { a: ['href'] },
          allowedSchemes: ['http', 'https', 'mailto'],
          allowedSchemesAppliedToAttributes: ['href'],
          allowProtocolRelative: false,
          disallowedTagsMode: 'discard',
        }),
      ).children,
    )
      .replace(/\s+/g, ' ')
      .trim();

  it('equals the sanitiser for any text without < or &', () => {
    const seed = Date.now();
    console.log(`cleanInline fast path property seed ${seed}`);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({
            unit: fc.constantFrom('a', ' ', '>', '"', "'", '\n', '\t', 'é', '한', '😀', '\r', '=', '/'),
          }),
        ),
        (raw) => {
          const text = raw.replace(/[<&\u0000]/g, '');
          expect(cleanInline(text)).toBe(full(text));
        },
      ),
      { seed, numRuns: 2000 },
    );
  });
});

/** collapseWhitespace skips the replace only where the replace would change nothing. */
describe('collapseWhitespace', () => {
  it('equals replacing every whitespace run by one space', () => {
    const seed = Date.now();
    console.log(`collapseWhitespace property seed ${seed}`);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({
            unit: fc.constantFrom('a', ' ', '\n', '\t', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff', 'é'),
          }),
        ),
        (text) => expect(collapseWhitespace(text)).toBe(text.replace(/\s+/g, ' ')),
      ),
      { seed, numRuns: 5000 },
    );
  });

  it('collapses runs and lone non-space whitespace, and leaves single spaces', () => {
    expect(collapseWhitespace('a b c')).toBe('a b c');
    expect(collapseWhitespace('a  b')).toBe('a b');
    expect(collapseWhitespace('a\nb')).toBe('a b');
    expect(collapseWhitespace('a \t b\u00a0c ')).toBe('a b c ');
  });
});
