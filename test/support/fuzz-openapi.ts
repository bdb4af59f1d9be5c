/**
 * Requests generated from openapi.json: every operation, its path and query parameters and its
 * body, derived from the published schemas and then spoiled (wrong types, missing and extra
 * keys, NUL bytes, huge strings and numbers, deep nesting, bodies that are not JSON at all).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  deepJson,
  fromPool,
  junkJson,
  junkKey,
  junkNumber,
  junkString,
  onThisMachine,
  preview,
  RawJson,
  stringFor,
  tainted,
  taintedFor,
  toJsonText,
  type ContentPool,
  type Spoiling,
} from './fuzz';

export interface Schema {
  $ref?: string;
  /** OpenAPI 3.1 (JSON Schema 2020-12) writes a nullable field as ["string", "null"]. */
  type?: string | string[];
  enum?: unknown[];
  /** Set by resolve() for a null member of `type` or `anyOf`. */
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: any }>>;
  components: { schemas: Record<string, Schema> };
}

export const openapi: OpenApiDocument = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'),
);

export interface Operation {
  method: string;
  path: string;
  /** Every `{name}` of the path template, whether or not the document declares it. */
  pathParams: string[];
  query: Parameter[];
  body?: Schema;
}

/** Every operation of openapi.json. */
export function operations(doc: OpenApiDocument = openapi): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        query: (op.parameters ?? []).filter((p) => p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  return ops;
}

export type Role = 'anonymous' | 'editor' | 'admin' | 'badKey';

export interface GeneratedRequest {
  op: Operation;
  /** How the request was spoiled. */
  mode: Spoiling;
  role: Role;
  /** The path with its parameters filled in (already encoded, or deliberately not). */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** How the request reads in a failure message (fast-check prints counterexamples with it). */
  [fc.toStringMethod](): string;
}

/** The name of the component a schema is, or is a nullable form of. */
function refNameOf(schema: Schema): string | undefined {
  const ref =
    schema.$ref ??
    [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].find((s) => s.$ref)?.$ref;
  return ref?.split('/').pop();
}

/** A schema with its references followed and its null member folded into `nullable`. */
function resolve(schema: Schema, doc: OpenApiDocument): Schema & { type?: string } {
  if (schema.$ref)
    return {
      ...resolve(doc.components.schemas[schema.$ref.split('/').pop()!], doc),
      ...(schema.nullable ? { nullable: true } : {}),
    };
  const members = schema.anyOf ?? schema.oneOf;
  if (members?.length) {
    const present = members.filter((m) => m.type !== 'null');
    return {
      ...resolve(present[0] ?? {}, doc),
      nullable: present.length < members.length || schema.nullable,
    };
  }
  if (schema.allOf?.length) {
    const merged = schema.allOf.reduce<Schema>((acc, s) => ({ ...acc, ...resolve(s, doc) }), {});
    return {
      ...merged,
      type: merged.type as string | undefined,
      nullable: schema.nullable ?? merged.nullable,
    };
  }
  if (Array.isArray(schema.type)) {
    const type = schema.type.find((t) => t !== 'null');
    return { ...schema, type, nullable: schema.type.includes('null') || schema.nullable };
  }
  return schema as Schema & { type?: string };
}

const singular = (name: string) => name.replace(/s$/, '');

/**
 * What the document does not say and a well-formed value needs (the contract does): an article
 * input has a title (required to create) and one body form.
 */
const WELL_FORMED: Record<string, { required?: string[]; oneOf?: string[] }> = {
  ArticleInput: { required: ['title'], oneOf: ['body', 'bodyHtml', 'bodyText'] },
};

/**
 * Body blocks as the contract describes them: the schema says which fields a block has, not
 * which belong to which type, and a paragraph with a `level` never gets past validation.
 */
function blockFor(ctx: ValueContext): fc.Arbitrary<unknown> {
  const prose = fc.oneof(
    fc.constantFrom(
      'Ferries left at dawn.',
      'A <b>bold</b> and <i>calm</i> move.',
      '<a href="https://example.com">Read</a>',
    ),
    fc.string({ minLength: 1, maxLength: 40 }),
  );
  const text =
    ctx.mode === 'tainted'
      ? fc.oneof({ weight: 2, arbitrary: prose }, { weight: 1, arbitrary: tainted(prose) })
      : prose;
  const url = stringFor(ctx.pool, 'url');
  return fc.oneof(
    fc.record({ type: fc.constant('paragraph'), text }),
    fc.record({ type: fc.constant('heading'), level: fc.constantFrom(2, 3, 4), text }),
    fc.record({ type: fc.constant('quote'), text, cite: text }, { requiredKeys: ['type', 'text'] }),
    fc.record({
      type: fc.constant('list'),
      ordered: fc.boolean(),
      items: fc.array(text, { minLength: 1, maxLength: 3 }),
    }),
    fc.record(
      { type: fc.constant('image'), url, alt: text, caption: text, credit: text },
      { requiredKeys: ['type', 'url', 'alt'] },
    ),
    fc.record({ type: fc.constant('embed'), url, provider: text }, { requiredKeys: ['type', 'url'] }),
  );
}

interface ValueContext {
  pool: ContentPool;
  doc?: OpenApiDocument;
  mode: Spoiling;
}

export function valueFor(raw: Schema, name: string, ctx: ValueContext, depth = 0): fc.Arbitrary<unknown> {
  const doc = ctx.doc ?? openapi;
  if (raw.$ref?.endsWith('/BlockInput') && ctx.mode !== 'spoiled') return blockFor(ctx);
  const schema = resolve(raw, doc);
  let valid: fc.Arbitrary<unknown>;
  if (schema.enum) valid = fc.constantFrom(...schema.enum);
  else
    switch (schema.type) {
      case 'string': {
        const text = stringFor(ctx.pool, name).map((s) =>
          schema.maxLength !== undefined && s.length > schema.maxLength ? s.slice(0, schema.maxLength) : s,
        );
        valid =
          ctx.mode === 'tainted'
            ? fc.oneof({ weight: 2, arbitrary: text }, { weight: 1, arbitrary: tainted(text) })
            : text;
        break;
      }
      case 'number':
      case 'integer':
        valid = fc.integer({ min: schema.minimum ?? -5, max: Math.min(schema.maximum ?? 200, 10_000) });
        break;
      case 'boolean':
        valid = fc.boolean();
        break;
      case 'array':
        valid = fc.array(valueFor(schema.items ?? {}, singular(name), ctx, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
        });
        if (ctx.mode === 'spoiled' && schema.maxItems !== undefined) {
          const over = fc.array(fromPool(ctx.pool.articleSlugs), {
            minLength: schema.maxItems + 1,
            maxLength: schema.maxItems + 2,
          });
          valid = fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: over });
        }
        break;
      case 'object':
        valid = schema.properties
          ? objectFor(schema, ctx, depth, WELL_FORMED[refNameOf(raw) ?? ''])
          : fc.jsonValue({ maxDepth: 2 });
        break;
      case undefined:
      default:
        valid = fc.jsonValue({ maxDepth: 2 });
    }
  if (schema.nullable) valid = fc.option(valid, { nil: null, freq: 6 });
  if (ctx.mode !== 'spoiled') return valid;
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: junkJson });
}

function objectFor(
  schema: Schema,
  ctx: ValueContext,
  depth: number,
  wellFormed: { required?: string[]; oneOf?: string[] } = {},
): fc.Arbitrary<unknown> {
  const props = schema.properties ?? {};
  const required = [...(schema.required ?? []), ...(wellFormed.required ?? [])];
  const fields = Object.fromEntries(
    Object.entries(props).map(([k, s]) => [k, valueFor(s, k, ctx, depth + 1)]),
  );
  const keep = (keys: string[]) => fc.record(fields, { requiredKeys: keys.filter((k) => k in props) });
  if (ctx.mode !== 'spoiled') {
    const oneOf = wellFormed.oneOf;
    if (!oneOf) return keep(required);
    return fc
      .tuple(keep(required), fc.constantFrom(...oneOf))
      .map(([value, kept]) =>
        Object.fromEntries(Object.entries(value as object).filter(([k]) => k === kept || !oneOf.includes(k))),
      );
  }
  return fc
    .tuple(
      fc.oneof({ weight: 5, arbitrary: keep(required) }, { weight: 1, arbitrary: keep([]) }),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant([] as [string, unknown][]) },
        { weight: 1, arbitrary: fc.array(fc.tuple(junkKey, junkJson), { minLength: 1, maxLength: 2 }) },
      ),
    )
    .map(([value, extra]) => ({ ...(value as object), ...Object.fromEntries(extra) }));
}

/** Request bodies that are not a JSON object of the schema at all. */
const oddBody: fc.Arbitrary<{ contentType?: string; text: string }> = fc.oneof(
  junkJson.map((v) => ({ contentType: 'application/json', text: toJsonText(v) })),
  deepJson.map((v) => ({ contentType: 'application/json', text: v.text })),
  fc
    .constantFrom(
      '',
      ' ',
      '{',
      '{"a":1,}',
      "{'a':1}",
      'NaN',
      '\u0000',
      '{"a":1}{"b":2}',
      '\uFEFF{}',
      '[1,2',
      '{"title":"a\u0000b"}',
      '{"title":"bad \\u00"}',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"title":"a","title":1}',
      '{"title":"x","body":[{"type":"paragraph","text":"a","__proto__":{"x":1}}]}',
    )
    .map((text) => ({ contentType: 'application/json', text })),
  fc
    .tuple(
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'application/xml',
        'application/json;;',
        'application/*',
        'application/merge-patch+json',
        'APPLICATION/JSON',
      ),
      fc.constantFrom('{}', '{"title":"x"}', 'a=1&b=2', '<a/>'),
    )
    .map(([contentType, text]) => ({ contentType, text })),
  fc.constant({ contentType: 'application/json', text: `"${'a'.repeat(1_100_000)}"` }),
  fc.constant({ text: '{"title":"no content type"}' }),
);

/** Text as XML character data. */
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Bodies of an import: the formats it reads, with lines and items spoiled as the mode says. */
function importBody(pool: ContentPool, mode: Spoiling): fc.Arbitrary<{ contentType?: string; text: string }> {
  const line = valueFor({ $ref: '#/components/schemas/ArticleInput' }, 'article', { pool, mode });
  const text =
    mode === 'spoiled'
      ? junkString
      : mode === 'tainted'
        ? tainted(stringFor(pool, 'title'))
        : stringFor(pool, 'title');
  const item = (tag: string) =>
    fc
      .tuple(text, text)
      .map(
        ([title, body]) =>
          `<${tag}><title>${xmlText(title)}</title><description>${xmlText(body)}</description></${tag}>`,
      );
  const wellFormed = fc.oneof(
    fc.array(line, { maxLength: 4 }).map((lines) => ({
      contentType: 'application/x-ndjson',
      text: lines.map((l) => toJsonText(onThisMachine(l))).join('\n'),
    })),
    fc
      .array(line, { maxLength: 4 })
      .map((lines) => ({ contentType: 'application/json', text: toJsonText(onThisMachine(lines)) })),
    fc.array(item('item'), { maxLength: 3 }).map((items) => ({
      contentType: 'application/rss+xml',
      text: `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>${items.join('')}</channel></rss>`,
    })),
    fc.array(item('entry'), { maxLength: 3 }).map((items) => ({
      contentType: 'application/atom+xml',
      text: `<feed xmlns="http://www.w3.org/2005/Atom">${items.join('')}</feed>`,
    })),
  );
  if (mode !== 'spoiled') return wellFormed;
  const odd = fc
    .tuple(
      fc.constantFrom(
        'application/xml',
        'text/xml',
        'application/vnd.iptc.ninjs+json',
        'application/x-ndjson',
      ),
      fc.oneof(
        junkString,
        fc.constantFrom(
          '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&e;</title></item></channel></rss>',
          '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item><title>&b;</title></item></channel></rss>',
          '<rss><channel><item><title>&#0;</title></item></channel></rss>',
          '{"uri":"x","type":"text","headlines":[{"value":"\u0000"}]}',
          '{"uri":"x","type":"text","bodies":[{"role":"main","value":123}]}',
          `${'{"title":"a"}\n'.repeat(3)}{"title":`,
        ),
      ),
    )
    .map(([contentType, text]) => ({ contentType, text }));
  return fc.oneof(wellFormed, odd, oddBody);
}

/** Percent-encodes a path segment; a lone surrogate (which cannot be sent) becomes U+FFFD. */
const encodeSegment = (s: string) => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));

function pathValue(op: Operation, name: string, pool: ContentPool, mode: Spoiling): fc.Arbitrary<string> {
  let real: fc.Arbitrary<string>;
  if (name === 'idOrSlug' && op.path.includes('/sections'))
    real = fc.oneof(fromPool(pool.sectionSlugs), fromPool(pool.sectionIds));
  else if (name === 'idOrSlug')
    real = fc.oneof(
      fromPool(pool.publishedSlugs),
      fromPool(pool.articleIds),
      fromPool(pool.articleSlugs),
      fromPool(pool.articleIds).map((id) => id.toUpperCase()),
    );
  else if (name === 'id' && op.path.includes('/webhooks')) real = fromPool(pool.webhookIds);
  else if (name === 'id') real = fromPool(pool.apiKeyIds);
  else if (name === 'revisionId') real = fromPool(pool.revisionIds);
  else if (name === 'slug') real = fc.oneof(fromPool(pool.rankingSlugs), stringFor(pool, 'slug'));
  else if (name === 'type') real = fromPool(pool.reactionTypes);
  else real = junkString;
  const wellFormed = fc.oneof({ weight: 6, arbitrary: real }, { weight: 1, arbitrary: fc.uuid() });
  switch (mode) {
    case 'valid':
      return wellFormed.map(encodeSegment);
    case 'tainted':
      return fc.oneof(wellFormed, tainted(wellFormed)).map(encodeSegment);
    case 'spoiled':
      return fc.oneof(
        { weight: 2, arbitrary: wellFormed.map(encodeSegment) },
        { weight: 2, arbitrary: junkString.map(encodeSegment) },
        // Not encoded: the router and the URL parser see it as it is.
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '%',
            '%zz',
            '%00',
            '%2F',
            '%2e%2e',
            '..',
            '.',
            '',
            'a%00b',
            'é',
            ';x=1',
            '%C0%AF',
          ),
        },
      );
  }
}

function queryValue(p: Parameter, pool: ContentPool, mode: Spoiling): fc.Arbitrary<string> {
  const schema = p.schema ?? {};
  let valid: fc.Arbitrary<string>;
  if (schema.enum) valid = fc.constantFrom(...schema.enum.map(String));
  else if (schema.type === 'number' || schema.type === 'integer')
    valid = fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 100 }).map(String);
  else if (schema.type === 'boolean') valid = fc.constantFrom('true', 'false');
  else valid = stringFor(pool, p.name);
  switch (mode) {
    case 'valid':
      return valid;
    case 'tainted':
      return schema.type === 'string' && !schema.enum
        ? fc.oneof(valid, taintedFor(pool, p.name, valid))
        : valid;
    case 'spoiled':
      return fc.oneof(
        { weight: 2, arbitrary: valid },
        { weight: 2, arbitrary: junkString },
        { weight: 1, arbitrary: junkNumber.map((n) => (n instanceof RawJson ? n.text : String(n))) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '',
            ' 1',
            '1 ',
            '+1',
            '1e3',
            '0x10',
            '1.5',
            'Infinity',
            'TRUE',
            'yes',
            '[]',
            '٣',
          ),
        },
      );
  }
}

function queryString(op: Operation, pool: ContentPool, mode: Spoiling): fc.Arbitrary<string> {
  const none = fc.constant([] as [string, string][]);
  const pairs = op.query.map((p) => {
    const one = queryValue(p, pool, mode).map((v) => [[p.name, v]] as [string, string][]);
    const given = fc.oneof({ weight: p.required ? 1 : 2, arbitrary: none }, { weight: 3, arbitrary: one });
    if (mode !== 'spoiled') return given;
    const twice = fc.tuple(queryValue(p, pool, mode), queryValue(p, pool, mode)).map(
      ([a, b]) =>
        [
          [p.name, a],
          [p.name, b],
        ] as [string, string][],
    );
    return fc.oneof({ weight: 4, arbitrary: given }, { weight: 1, arbitrary: twice });
  });
  const unknown =
    mode === 'spoiled'
      ? fc.oneof(
          { weight: 3, arbitrary: none },
          {
            weight: 1,
            arbitrary: fc
              .tuple(fc.constantFrom('foo', '__proto__', 'constructor', 'limit[]', 'a[b]', ''), junkString)
              .map(([k, v]) => [[k, v]] as [string, string][]),
          },
        )
      : none;
  const raw =
    mode === 'spoiled'
      ? fc.constantFrom('', '', '', '&', '&&=', '=x', '%', '%zz=1', 'a=%00')
      : fc.constant('');
  return fc.tuple(fc.tuple(...pairs), unknown, raw).map(([declared, extra, tail]) => {
    const search = new URLSearchParams([...declared.flat(), ...extra]).toString();
    const all = [search, tail].filter(Boolean).join('&');
    return all ? `?${all}` : '';
  });
}

const ROLES: fc.Arbitrary<Role> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Role>('anonymous') },
  { weight: 3, arbitrary: fc.constant<Role>('editor') },
  { weight: 3, arbitrary: fc.constant<Role>('admin') },
  { weight: 1, arbitrary: fc.constant<Role>('badKey') },
);

/** Headers a client may add: content negotiation, conditional requests, junk credentials. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        accept: fc.constantFrom('*/*', 'application/xml', 'text/html', 'application/problem+json', ''),
        'if-none-match': fc.constantFrom('*', 'W/"x"', '"0"', '""', 'garbage'),
        'x-forwarded-for': fc.constantFrom('203.0.113.9', 'garbage', '::1, 10.0.0.1', ''),
      },
      { requiredKeys: [] },
    ),
  },
);

/**
 * Requests for one operation, as any role. Each request is spoiled one way throughout (see
 * Spoiling): a valid or tainted request reaches the service with real ids, where a spoiled one
 * is mostly refused by validation.
 */
export function requestsFor(op: Operation, pool: ContentPool): fc.Arbitrary<GeneratedRequest> {
  const inMode = (mode: Spoiling) => {
    const params = fc.tuple(...op.pathParams.map((name) => pathValue(op, name, pool, mode)));
    let body: fc.Arbitrary<{ contentType?: string; text: string } | undefined>;
    if (op.method === 'GET') body = fc.constant(undefined);
    else if (op.path.endsWith('/imports')) body = importBody(pool, mode);
    else if (op.body) {
      const json = valueFor(op.body, 'body', { pool, mode }).map((v) => ({
        contentType: 'application/json',
        text: toJsonText(onThisMachine(v)),
      }));
      body =
        mode === 'spoiled'
          ? fc.oneof({ weight: 4, arbitrary: json }, { weight: 1, arbitrary: oddBody })
          : json;
    } else
      body =
        mode === 'spoiled'
          ? fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: oddBody })
          : fc.constant(undefined);
    return fc.record({
      mode: fc.constant(mode),
      role: ROLES,
      params,
      query: queryString(op, pool, mode),
      body,
      headers: mode === 'spoiled' ? extraHeaders : fc.constant({}),
    });
  };
  return fc
    .oneof(inMode('valid'), inMode('tainted'), inMode('spoiled'))
    .map(({ mode, role, params, query, body, headers }) => {
      let i = 0;
      const url = op.path.replace(/\{\w+\}/g, () => params[i++]) + query;
      const all: Record<string, string> = {
        ...headers,
        ...(body?.contentType ? { 'content-type': body.contentType } : {}),
      };
      return {
        op,
        mode,
        role,
        url,
        headers: all,
        body: body?.text,
        [fc.toStringMethod]: () =>
          `${op.method} ${preview(url, 200)} as ${role} (${mode})` +
          (Object.keys(all).length ? ` headers ${JSON.stringify(all)}` : '') +
          (body ? ` body ${preview(body.text)}` : ''),
      };
    });
}
