import { channel } from 'node:diagnostics_channel';
import { availableParallelism } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { Piscina } from 'piscina';
import { DomainError } from '../../common/errors/domain-error';
import type { ImportItem } from '../import-line';
import type { ImportFormat, ImportSource, ParseOptions } from './import-source';
import type { ParseResult, ParseTask } from './parse.worker';

/**
 * Announces each document parse: `{ phase: 'start', format }`, then `{ phase: 'end', format,
 * threadId }` (the thread that parsed it) or `{ phase: 'error', format }`. For tracing and tests.
 */
export const PARSE_CHANNEL = channel('dateline:imports:parse');

/** Formats read as one whole document (not line by line): these are parsed in a worker thread. */
export const WHOLE_DOCUMENT_FORMATS: ReadonlySet<ImportFormat> = new Set([
  'rss',
  'atom',
  'wxr',
  'json',
  'ninjs',
]);

/** How long an idle parse worker is kept (its memory goes with it). */
const IDLE_MS = 30_000;

let pool: Piscina<ParseTask, ParseResult> | undefined;

/**
 * The parse workers, started on first use. At most one per spare core (at least one): a parse
 * must not take the core the event loop runs on. Imports beyond that wait their turn.
 */
function workers(): Piscina<ParseTask, ParseResult> {
  const ext = extname(__filename);
  pool ??= new Piscina<ParseTask, ParseResult>({
    filename: join(__dirname, `parse.worker${ext}`),
    minThreads: 0,
    maxThreads: Math.max(1, Math.min(2, availableParallelism() - 1)),
    idleTimeout: IDLE_MS,
    // Run from the TypeScript sources (the tests), the worker compiles them as Jest does.
    ...(ext === '.ts'
      ? { execArgv: ['--require', resolve(__dirname, '../../../test/support/swc-register.js')] }
      : {}),
  });
  return pool;
}

/**
 * A whole document parsed in a worker thread: XML validation and parsing, and JSON.parse of a
 * big array, take seconds on large or hostile documents, and on the main thread they would stop
 * every request meanwhile. The document is read here, moved to the worker (not copied again),
 * and the items come back as NDJSON pieces, read one item at a time.
 */
export async function* parseInWorker(
  format: ImportFormat,
  source: ImportSource,
  options: ParseOptions,
): AsyncGenerator<ImportItem> {
  const slabs = await readIntoSlabs(source);
  PARSE_CHANNEL.publish({ phase: 'start', format });
  let result: ParseResult;
  try {
    result = await workers().run({ format, slabs, options }, { transferList: slabs.map((s) => s.buffer) });
  } catch (err) {
    PARSE_CHANNEL.publish({ phase: 'error', format });
    throw err;
  }
  PARSE_CHANNEL.publish({ phase: 'end', format, threadId: result.threadId });
  if ('refused' in result) throw new DomainError(result.refused.code, result.refused.message);
  for (const piece of result.pieces) {
    const text = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    for (let at = 0; at < text.length;) {
      const end = text.indexOf(0x0a, at);
      yield JSON.parse(text.toString('utf8', at, end)) as ImportItem;
      at = end + 1;
    }
  }
}

/** Size of the buffers a document is read into on its way to a worker. */
const SLAB_BYTES = 1 << 20;

/**
 * The whole source, copied as it arrives into buffers of its own (so they can be moved to the
 * worker): one small copy per chunk, never one copy of the whole document at once, which would
 * hold the event loop for a large one.
 */
async function readIntoSlabs(source: ImportSource): Promise<Uint8Array<ArrayBuffer>[]> {
  const slabs: Uint8Array<ArrayBuffer>[] = [];
  let slab = new Uint8Array(SLAB_BYTES);
  let used = 0;
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let at = 0; at < bytes.length;) {
      const n = Math.min(bytes.length - at, SLAB_BYTES - used);
      slab.set(bytes.subarray(at, at + n), used);
      used += n;
      at += n;
      if (used === SLAB_BYTES) {
        slabs.push(slab);
        slab = new Uint8Array(SLAB_BYTES);
        used = 0;
      }
    }
  }
  if (used) slabs.push(slab.subarray(0, used));
  return slabs;
}
