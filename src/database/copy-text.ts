/**
 * Rows in the text format of PostgreSQL's COPY: columns split by tabs, rows ended by a newline,
 * NULL as `\N`, and only backslash, newline, carriage return and tab escaped in values (see
 * "COPY, File Formats, Text Format" in the PostgreSQL manual). csv-stringify did this job before
 * and took 13% of the command line's CPU in an import's profile, more than sanitising the HTML
 * bodies: it inspects every character of every field, where most fields need no escaping at all.
 */
const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPABLE = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function copyTextField(value: string | null): string {
  if (value === null) return '\\N';
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPABLE, (c) => ESCAPES[c]) : value;
}

/**
 * The rows as COPY text in chunks of about `chunkChars` characters. One string for a whole batch
 * would be megabytes, flattened in V8's large-object space (and twice as large once any value has
 * a character beyond Latin-1, as an excerpt's "…" has): fresh pages each time, whose page faults
 * cost an import more than the copying itself.
 */
export function* copyTextChunks(
  rows: Iterable<(string | null)[]>,
  chunkChars = 32 * 1024,
): Generator<string> {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) out += (i ? '\t' : '') + copyTextField(row[i]);
    out += '\n';
    if (out.length >= chunkChars) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}
