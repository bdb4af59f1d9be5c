import { pipeline } from 'node:stream';
import sjson from 'secure-json-parse';
import split2 from 'split2';
import { toSiteItem, type ImportItem } from '../import-line';
import { malformed, toReadable, type ImportSource, type ParseOptions } from './import-source';

const DEFAULT_MAX_LINE_BYTES = 10 * 1024 * 1024;

/**
 * JSON text that can never change an object prototype: `__proto__` keys and
 * `constructor.prototype` make it fail (secure-json-parse), as any other syntax error would.
 */
export function parseJsonSafely(text: string): unknown {
  return sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
}

/** Why a line's JSON was refused, in words for the editor. */
export function jsonErrorMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/prototype property/i.test(message)) return 'forbidden key (__proto__ or constructor.prototype)';
  return `malformed JSON: ${message}`;
}

/**
 * The native format: one Article input a line, read as a stream (flat memory whatever the
 * size). Line numbers are physical and 1-based; blank lines are ignored; a malformed line is an
 * error item, never the end of the import.
 */
export async function* parseNdjson(
  source: ImportSource,
  options: ParseOptions = {},
): AsyncGenerator<ImportItem> {
  const maxLength = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let split = 0; // lines cut so far, which may run ahead of the ones consumed
  const splitter = split2(
    (text: string) => {
      split++;
      return text;
    },
    { maxLength },
  );
  const lines = pipeline(toReadable(source), splitter, () => undefined);
  let line = 0;
  try {
    for await (const raw of lines as AsyncIterable<string>) {
      line++;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (!text.trim()) continue;
      let value: unknown;
      try {
        value = parseJsonSafely(text);
      } catch (e) {
        yield { line, error: jsonErrorMessage(e) };
        continue;
      }
      yield toSiteItem(line, value);
    }
  } catch (e) {
    if (e instanceof Error && e.message === 'maximum buffer reached') {
      throw malformed(`line ${split + 1} is longer than ${maxLength} characters`);
    }
    throw e;
  }
}
