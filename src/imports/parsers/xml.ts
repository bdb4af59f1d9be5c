import { ENTITY_ACTION, EntityDecoder } from '@nodable/entities';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { malformed } from './import-source';

/** A parsed XML element: attributes as `@_name`, text as `#text` (or a bare string). */
export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[] | undefined;

const ALWAYS_ARRAYS = new Set(['item', 'entry', 'category', 'link', 'author', 'dc:creator', 'wp:author']);

/**
 * Entity handling: only the five predefined XML entities and character references are decoded.
 * Any entity declared in a DOCTYPE makes the document fail (billion laughs), and external
 * entities are refused by the parser itself (XXE): nothing is ever fetched or read.
 */
function safeEntityDecoder(): EntityDecoder {
  return new EntityDecoder({
    numericAllowed: true,
    onInputEntity: () => ENTITY_ACTION.THROW,
    onExternalEntity: () => ENTITY_ACTION.THROW,
    limit: { maxTotalExpansions: 0, maxExpandedLength: 0 },
  });
}

/**
 * Parses a whole feed or export. `stopNodes` (paths like `feed.entry.content`) keep an element's
 * inner markup raw, for Atom's XHTML content.
 */
export function parseXml(text: string, stopNodes: string[] = []): XmlNode {
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    throw malformed(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    entityDecoder: safeEntityDecoder(),
    ignoreDeclaration: true,
    ignorePiTags: true,
    stopNodes,
    isArray: (name) => ALWAYS_ARRAYS.has(name),
  });
  try {
    return parser.parse(text) as XmlNode;
  } catch (e) {
    const reason = e instanceof Error ? e.message : 'unreadable';
    throw malformed(`XML refused: ${reason} (DTD entities and external entities are not accepted)`);
  }
}

/**
 * The text of raw element content kept by a stop node: CDATA sections as they are, the rest
 * with the predefined entities and character references decoded.
 */
export function decodeRawText(raw: string): string {
  const decoder = safeEntityDecoder();
  let out = '';
  let at = 0;
  while (at < raw.length) {
    const start = raw.indexOf('<![CDATA[', at);
    if (start < 0) {
      out += decoder.decode(raw.slice(at));
      break;
    }
    out += decoder.decode(raw.slice(at, start));
    const end = raw.indexOf(']]>', start + 9);
    if (end < 0) throw malformed('CDATA section is not closed');
    out += raw.slice(start + 9, end);
    at = end + 3;
  }
  return out;
}

export function isNode(value: XmlValue): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An element's text, whether the parser gave a bare string or an object with attributes. */
export function text(value: XmlValue): string | undefined {
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === 'string') return value;
  if (isNode(value)) {
    const t = value['#text'];
    return typeof t === 'string' ? t : t === undefined ? '' : text(t);
  }
  return undefined;
}

/** Non-empty trimmed text, or undefined. */
export function nonEmpty(value: XmlValue): string | undefined {
  return text(value)?.trim() || undefined;
}

export function attr(value: XmlValue, name: string): string | undefined {
  const node = Array.isArray(value) ? value[0] : value;
  if (!isNode(node)) return undefined;
  const v = node[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

export function list(value: XmlValue): XmlValue[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

export function child(value: XmlValue, name: string): XmlValue {
  const node = Array.isArray(value) ? value[0] : value;
  return isNode(node) ? node[name] : undefined;
}

/** The prefix a document binds to a namespace URI on its root element (e.g. `wp`), if any. */
export function namespacePrefix(root: XmlValue, matches: (uri: string) => boolean): string | undefined {
  const node = Array.isArray(root) ? root[0] : root;
  if (!isNode(node)) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_xmlns:') && typeof value === 'string' && matches(value)) return key.slice(8);
  }
  return undefined;
}

export const CONTENT_NS = 'http://purl.org/rss/1.0/modules/content/';
export const DC_NS = 'http://purl.org/dc/elements/1.1/';
export const isWordPressNs = (uri: string) => /^https?:\/\/wordpress\.org\/export\/[\d.]+\/$/.test(uri);
export const isWordPressExcerptNs = (uri: string) =>
  /^https?:\/\/wordpress\.org\/export\/[\d.]+\/excerpt\/$/.test(uri);
