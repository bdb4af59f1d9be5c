import type { ImportItem } from '../import-line';
import { parseAtom } from './atom.parser';
import type { ImportFormat, ImportParser, ImportSource, ParseOptions } from './import-source';
import { parseJsonArray } from './json.parser';
import { parseNdjson } from './ndjson.parser';
import { parseNinjs } from './ninjs.parser';
import { parseRss } from './rss.parser';
import { parseWxr } from './wxr.parser';

export { detectFormat, DETECT_FORMAT_BYTES } from './detect-format';
export { IMPORT_FORMATS, type ImportFormat, type ImportSource, type ParseOptions } from './import-source';

const PARSERS: Record<ImportFormat, ImportParser> = {
  ndjson: parseNdjson,
  json: parseJsonArray,
  rss: parseRss,
  atom: parseAtom,
  wxr: parseWxr,
  ninjs: parseNinjs,
};

/**
 * Every import format as one stream of items, in input order, each with its 1-based line (or
 * item) number: a validated Article input, a skipped item, or an error for that item alone.
 * A document that cannot be read at all (not well-formed XML, a refused DTD, JSON that is not an
 * array…) throws DomainError MALFORMED_BODY before or while yielding.
 */
export function parseImport(
  format: ImportFormat,
  source: ImportSource,
  options: ParseOptions = {},
): AsyncGenerator<ImportItem> {
  return PARSERS[format](source, options);
}
