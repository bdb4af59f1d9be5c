import { DomainError } from '../errors/domain-error';
import { UUID_PATTERN } from '../http/id-or-slug.pipe';

/**
 * Where a row sits in a keyset-ordered list: its sort key as the database prints it, and its id,
 * which breaks ties (several articles can share a publication time). A cursor names a position,
 * not a page, so the same cursor serves as `after` and as `before`.
 */
export interface KeysetPosition {
  key: string;
  id: string;
}

/**
 * What the sort key of a list is: `t` a time (newest first), `q` a full-text rank (by relevance).
 * The letter is part of every cursor handed out, so a cursor of one ordering is refused by the other.
 */
export type CursorKind = 't' | 'q';

/** Times as the lists print them: UTC with microseconds, the precision PostgreSQL keeps. */
const TIME_KEY = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;
/** A non-negative decimal as PostgreSQL prints a `real` (`0.0607927`, `6.0792705e-05`). */
const RANK_KEY = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d{1,2})?$/i;
/**
 * Ranks are read back as `real`: PostgreSQL refuses values outside float4's range (an error, not
 * a rounding), so the cursor must keep within it. ts_rank's values sit far inside these bounds.
 */
const RANK_MAX = 1e38;
const RANK_MIN_POSITIVE = 1e-37;

function isTimeKey(key: string): boolean {
  const m = TIME_KEY.exec(key);
  if (!m) return false;
  // The calendar must agree too: 2024-02-30 would reach PostgreSQL and fail there.
  const date = new Date(key.slice(0, 23) + 'Z');
  if (Number.isNaN(date.getTime())) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return (
    y >= 1 &&
    date.getUTCFullYear() === y &&
    date.getUTCMonth() + 1 === mo &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
  );
}

function isRankKey(key: string): boolean {
  if (!RANK_KEY.test(key)) return false;
  const n = Number(key);
  return Number.isFinite(n) && n <= RANK_MAX && (n === 0 || n >= RANK_MIN_POSITIVE);
}

const KEY_CHECKS: Record<CursorKind, (key: string) => boolean> = { t: isTimeKey, q: isRankKey };

/** The opaque cursor clients get: base64url of `[kind, key, id]`. */
export function encodeCursor(kind: CursorKind, position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([kind, position.key, position.id])).toString('base64url');
}

/**
 * The position a cursor names, or a validation error at `path`. Every part is checked here, so
 * a cursor edited by hand (a well-formed one with a wrong date, rank or id inside) is bad input
 * and never reaches the database as a value it cannot read.
 */
export function decodeCursor(cursor: string, kind: CursorKind, path: string): KeysetPosition {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (Array.isArray(parts) && parts.length === 3) {
    const [k, key, id] = parts as unknown[];
    if (
      k === kind &&
      typeof key === 'string' &&
      typeof id === 'string' &&
      UUID_PATTERN.test(id) &&
      KEY_CHECKS[kind](key)
    )
      return { key, id: id.toLowerCase() };
  }
  throw DomainError.validation([{ path, message: 'is not a cursor of this list' }]);
}
