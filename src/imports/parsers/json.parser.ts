import sjson from 'secure-json-parse';
import { toSiteItem, type ImportItem } from '../import-line';
import { malformed, readAllText, type ImportSource, type ParseOptions } from './import-source';
import { jsonErrorMessage } from './ndjson.parser';

/** Throws the secure-json-parse error when the value holds a forbidden key. */
export function assertNoPrototypeKeys(value: unknown): void {
  if (typeof value === 'object' && value !== null) {
    sjson.scan(value, { protoAction: 'error', constructorAction: 'error' });
  }
}

/** `application/json`: an array of Article inputs; item numbers are 1-based positions. */
export async function* parseJsonArray(
  source: ImportSource,
  _options: ParseOptions = {},
): AsyncGenerator<ImportItem> {
  const text = await readAllText(source);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (e) {
    throw malformed(`malformed JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(document)) throw malformed('an application/json import must be an array of articles');
  for (let i = 0; i < document.length; i++) {
    const value: unknown = document[i];
    try {
      assertNoPrototypeKeys(value);
    } catch (e) {
      yield { line: i + 1, error: jsonErrorMessage(e) };
      continue;
    }
    yield toSiteItem(i + 1, value);
  }
}
