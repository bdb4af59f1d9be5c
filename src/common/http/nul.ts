/*
 * NUL characters in inputs. Kept apart from the validation pipe, so code that runs outside Nest
 * (the import parse workers) can check them without loading the framework.
 */

const NUL = '\u0000';
export const NUL_MESSAGE = 'must not contain NUL (\\u0000) characters';

/** A path as it is reported: a NUL in a key is shown escaped. */
const shown = (path: string) => path.replaceAll(NUL, '\\u0000');

/**
 * Where a NUL character sits in an input (a string value or an object key, at any depth), or
 * null. PostgreSQL cannot store NUL in text (nor in jsonb strings), so such an input would fail
 * in the database, as a 500; it is refused as invalid input before it gets there.
 */
export function nulPath(value: unknown, root: string): string | null {
  const pending: [unknown, string][] = [[value, root]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [v, path] = next;
    if (typeof v === 'string') {
      if (v.includes(NUL)) return shown(path) || 'value';
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes(NUL)) return shown(childPath);
        pending.push([child, childPath]);
      }
    }
  }
  return null;
}
