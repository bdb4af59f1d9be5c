import type { ImportFormat } from './import-source';

const BY_MEDIA_TYPE: Record<string, ImportFormat | 'xml'> = {
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/json': 'json',
  'application/rss+xml': 'rss',
  'application/atom+xml': 'atom',
  'application/vnd.iptc.ninjs+json': 'ninjs',
  'application/xml': 'xml',
  'text/xml': 'xml',
};

/** How many leading bytes `detectFormat` needs to see to tell XML documents apart. */
export const DETECT_FORMAT_BYTES = 64 * 1024;

/**
 * The import format from a Content-Type and the first bytes of the body (up to
 * DETECT_FORMAT_BYTES). XML types are told apart by the root element: `<rss>` carrying the
 * WordPress export namespace is WXR, other `<rss>` is RSS, `<feed>` is Atom. Without a content
 * type (the command line) the bytes decide: XML as above, `[` a JSON array, `{` NDJSON.
 * Null when the type is not an import format or the XML root is not a known one.
 */
export function detectFormat(
  contentType: string | undefined,
  firstBytes: Buffer | string,
): ImportFormat | null {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  const head = (typeof firstBytes === 'string' ? firstBytes : firstBytes.toString('utf8')).replace(
    /^\uFEFF/,
    '',
  );
  if (mediaType) {
    const known = BY_MEDIA_TYPE[mediaType];
    if (known === undefined) return null;
    if (known === 'xml' || known === 'rss') return xmlFormat(head) ?? (known === 'rss' ? 'rss' : null);
    return known;
  }
  const first = head.trimStart()[0];
  if (first === '<') return xmlFormat(head);
  if (first === '[') return 'json';
  if (first === '{') return 'ndjson';
  return null;
}

/** The root element's start tag, after the XML declaration, comments, PIs and a DOCTYPE. */
function rootStartTag(head: string): string | undefined {
  let at = 0;
  for (;;) {
    at = head.indexOf('<', at);
    if (at < 0) return undefined;
    if (head.startsWith('<?', at)) at = head.indexOf('?>', at) + 2;
    else if (head.startsWith('<!--', at)) at = head.indexOf('-->', at) + 3;
    else if (head.startsWith('<!', at)) at = skipDoctype(head, at);
    else {
      const end = head.indexOf('>', at);
      return end < 0 ? head.slice(at) : head.slice(at, end + 1);
    }
    if (at <= 1) return undefined;
  }
}

function skipDoctype(head: string, at: number): number {
  const subset = head.indexOf('[', at);
  const close = head.indexOf('>', at);
  if (subset >= 0 && subset < close) {
    const end = head.indexOf(']', subset);
    return end < 0 ? -1 : head.indexOf('>', end) + 1;
  }
  return close < 0 ? -1 : close + 1;
}

function xmlFormat(head: string): ImportFormat | null {
  const tag = rootStartTag(head);
  if (!tag) return null;
  const name = /^<([A-Za-z_][\w.:-]*)/.exec(tag)?.[1];
  if (name === 'rss') {
    return /\sxmlns:[\w.-]+\s*=\s*["']https?:\/\/wordpress\.org\/export\/[\d.]+\/["']/.test(tag)
      ? 'wxr'
      : 'rss';
  }
  if (name === 'feed') return 'atom';
  return null;
}
