import { Readable } from 'node:stream';
import { threadId } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { DomainError, type ErrorCode } from '../../common/errors/domain-error';
import { PARSERS } from './by-format';
import type { ImportFormat, ParseOptions } from './import-source';

export interface ParseTask {
  format: ImportFormat;
  /** The whole document in pieces, moved here (their buffers are the task's alone). */
  slabs: Uint8Array[];
  options: ParseOptions;
}

export type ParseResult =
  /** The items as NDJSON (one ImportItem a line), in pieces of about PIECE_CHARS, moved back. */
  | { pieces: Uint8Array[]; threadId: number }
  /** The document cannot be read at all (MALFORMED_BODY…): the import fails with this. */
  | { refused: { code: ErrorCode; message: string }; threadId: number };

/**
 * Pieces stay well under V8's longest string whatever the document, and the main thread reads
 * each item alone (one small JSON.parse at a time) instead of one structured clone of them all.
 */
const PIECE_CHARS = 1 << 20;

/**
 * Runs in a worker thread (parse-workers.ts): one whole document parsed into import items, so the
 * server's event loop keeps answering requests meanwhile.
 */
export default async function parseDocument(task: ParseTask): Promise<ParseResult> {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  let text = '';
  try {
    const source = Readable.from(task.slabs.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength)));
    for await (const item of PARSERS[task.format](source, task.options)) {
      text += `${JSON.stringify(item)}\n`;
      if (text.length >= PIECE_CHARS) {
        // TextEncoder gives each piece its own buffer (Buffer.from may share its pool's).
        pieces.push(encoder.encode(text));
        text = '';
      }
    }
  } catch (err) {
    if (err instanceof DomainError) return { refused: { code: err.code, message: err.message }, threadId };
    throw err;
  }
  if (text) pieces.push(encoder.encode(text));
  const result: ParseResult = { pieces, threadId };
  return move({
    [transferableSymbol]: pieces.map((p) => p.buffer),
    [valueSymbol]: result,
  }) as unknown as ParseResult;
}
