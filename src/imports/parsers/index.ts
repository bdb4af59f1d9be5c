import type { ImportItem } from '../import-line';
import { PARSERS } from './by-format';
import type { ImportFormat, ImportSource, ParseOptions } from './import-source';
import { parseInWorker, WHOLE_DOCUMENT_FORMATS } from './parse-workers';

export { detectFormat, DETECT_FORMAT_BYTES } from './detect-format';
export { IMPORT_FORMATS, type ImportFormat, type ImportSource, type ParseOptions } from './import-source';
export { PARSE_CHANNEL } from './parse-workers';

/**
 * Every import format as one stream of items, in input order, each with its 1-based line (or
 * item) number: a validated Article input, a skipped item, or an error for that item alone.
 * A document that cannot be read at all (not well-formed XML, a refused DTD, JSON that is not an
 * array…) throws DomainError MALFORMED_BODY before or while yielding. NDJSON is read line by line
 * as it arrives; whole documents (XML, JSON arrays, ninjs) are parsed in a worker thread.
 */
export function parseImport(
  format: ImportFormat,
  source: ImportSource,
  options: ParseOptions = {},
): AsyncGenerator<ImportItem> {
  return WHOLE_DOCUMENT_FORMATS.has(format)
    ? parseInWorker(format, source, options)
    : PARSERS[format](source, options);
}
