import { Readable } from 'node:stream';
import { DomainError } from '../../common/errors/domain-error';
import type { ArticleStatus, ImportItem } from '../import-line';

/** Every format the importer reads (`--format` on the command line). */
export const IMPORT_FORMATS = ['ndjson', 'json', 'rss', 'atom', 'wxr', 'ninjs'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What a parser reads: a request body, a file stream, or any iterable of chunks. */
export type ImportSource = Readable | AsyncIterable<Buffer | string>;

export interface ParseOptions {
  /** Status of feed items (RSS, Atom, ninjs) that carry none. Default `published`. */
  status?: ArticleStatus;
  /** RSS/Atom: also use an item's first category as its section (and sectionName). Default false. */
  categoryAsSection?: boolean;
  /** NDJSON line buffer, in characters: a line that outgrows it fails the import (MALFORMED_BODY). Default 10 MiB. */
  maxLineBytes?: number;
}

export type ImportParser = (source: ImportSource, options: ParseOptions) => AsyncGenerator<ImportItem>;

export function toReadable(source: ImportSource): Readable {
  return source instanceof Readable ? source : Readable.from(source, { objectMode: false });
}

/**
 * The whole body as text, for the formats that cannot be read line by line (XML, a JSON array).
 * The transport bounds the size (IMPORT_MAX_BYTES). An XML declaration's encoding is honoured.
 */
export async function readAllText(source: ImportSource): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  const bytes = Buffer.concat(chunks);
  return new TextDecoder(declaredXmlEncoding(bytes) ?? 'utf-8').decode(bytes);
}

function declaredXmlEncoding(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 200).toString('latin1');
  if (!head.startsWith('<?xml')) return undefined;
  const declaration = head.slice(0, head.indexOf('?>') + 1);
  const match = /\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(declaration);
  if (!match) return undefined;
  try {
    return new TextDecoder(match[1]).encoding;
  } catch {
    throw malformed(`unsupported encoding ${match[1]}`);
  }
}

/** The whole document cannot be read (not one item): the transport answers 400. */
export function malformed(detail: string): DomainError {
  return new DomainError('MALFORMED_BODY', detail);
}
