import { parseAtom } from './atom.parser';
import type { ImportFormat, ImportParser } from './import-source';
import { parseJsonArray } from './json.parser';
import { parseNdjson } from './ndjson.parser';
import { parseNinjs } from './ninjs.parser';
import { parseRss } from './rss.parser';
import { parseWxr } from './wxr.parser';

/** The parser of each format, run on the calling thread (parse.worker.ts runs them in a worker). */
export const PARSERS: Record<ImportFormat, ImportParser> = {
  ndjson: parseNdjson,
  json: parseJsonArray,
  rss: parseRss,
  atom: parseAtom,
  wxr: parseWxr,
  ninjs: parseNinjs,
};
