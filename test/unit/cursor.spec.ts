/**
 * List cursors: every position handed out reads back as itself, and anything else a client could
 * send (hand-edited or random) is a validation error, never a value the database cannot read.
 */
import fc from 'fast-check';
import { DomainError } from '../../src/common/errors/domain-error';
import { decodeCursor, encodeCursor, type CursorKind } from '../../src/common/pagination/cursor';

/** A time as the lists print it: UTC with microseconds. */
const timeKey = fc
  .tuple(
    fc.date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([d, micros]) => `${d.toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`);
/** A rank as PostgreSQL prints a real. */
const rankKey = fc
  .float({ min: 0, max: 1, noNaN: true })
  .map((n) => String(n).replace('+', ''))
  .filter((s) => !s.includes('e-') || Number(s) >= 1e-37);

const refused = (cursor: string, kind: CursorKind) => {
  try {
    decodeCursor(cursor, kind, 'after');
    return false;
  } catch (err) {
    return err instanceof DomainError && err.code === 'VALIDATION_FAILED';
  }
};

describe('list cursors', () => {
  it('read back the positions they were made from', () => {
    fc.assert(
      fc.property(fc.uuid(), timeKey, rankKey, (id, t, q) => {
        expect(decodeCursor(encodeCursor('t', { key: t, id }), 't', 'after')).toEqual({ key: t, id });
        expect(decodeCursor(encodeCursor('q', { key: q, id }), 'q', 'after')).toEqual({ key: q, id });
        // A cursor of one ordering is no position in the other.
        expect(refused(encodeCursor('t', { key: t, id }), 'q')).toBe(true);
      }),
    );
  });

  it('refuse anything else as bad input', () => {
    const part = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.uuid(), timeKey);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(part, { maxLength: 4 }).map((a) => Buffer.from(JSON.stringify(a)).toString('base64url')),
        ),
        (cursor) => {
          let result: unknown;
          try {
            result = decodeCursor(cursor, 't', 'after');
          } catch (err) {
            expect(err).toBeInstanceOf(DomainError);
            return;
          }
          // Accepted only as a real position: a time PostgreSQL reads and a uuid.
          const { key, id } = result as { key: string; id: string };
          expect(Number.isNaN(Date.parse(key))).toBe(false);
          expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        },
      ),
    );
    for (const key of [
      '2024-02-30T10:00:00.000000Z',
      '2024-13-01T10:00:00.000000Z',
      '2024-01-01T24:00:00.000000Z',
      '2024-01-01 10:00:00',
    ])
      expect(refused(encodeCursor('t', { key, id: '00000000-0000-4000-8000-000000000000' }), 't')).toBe(true);
    for (const key of ['abc', '-1', '1e999', '1e-50', 'NaN', 'Infinity', ''])
      expect(refused(encodeCursor('q', { key, id: '00000000-0000-4000-8000-000000000000' }), 'q')).toBe(true);
  });
});
