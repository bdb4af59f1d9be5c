/**
 * What the fuzz tests (test/e2e/fuzz-*.e2e-spec.ts) share: the seed and time budget, the values
 * that break servers (NUL bytes, huge strings and numbers, deep nesting), JSON text that can hold
 * them, and the real content that generated requests point at, so that they reach real rows and
 * not only the "not found" branch.
 */
import fc from 'fast-check';
import { WebhookRepository } from '../../src/webhooks/webhook.repository';
import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { systemActor } from '../../src/common/auth/actor';
import { anArticle, aSection, published } from './article-factory';
import { unique, type TestApp } from './test-app';

/**
 * One seed for every property of a run, so that a failure in CI replays: `FUZZ_SEED=<seed> npx
 * jest test/e2e/fuzz-rest.e2e-spec.ts`. The ids of the content made for the run differ from run to
 * run, so a replay finds the same kind of request rather than the same bytes; fast-check prints the
 * seed and the shrunk request with every failure. `FUZZ_SEED=random` explores new ground.
 */
export const FUZZ_SEED =
  process.env.FUZZ_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED ?? 20261214);

/**
 * How long each fuzz file generates requests, in milliseconds, apart from start-up and seeding:
 * with both files at 20 s the whole fuzz stays about a minute in CI on two cores. `FUZZ_TIME_MS`
 * raises it for a longer local hunt.
 */
export const FUZZ_TIME_MS = Number(process.env.FUZZ_TIME_MS ?? 20_000);

/** How long a failing property may go on shrinking its counterexample. */
const SHRINK_TIME_MS = 15_000;

/**
 * Ends a property's runs once `ms` have passed, between runs: the run in flight always finishes
 * and counts. (fast-check's interruptAfterTimeLimit races the run in flight and drops its
 * outcome, so the last request's 500 could go unseen.) After a failure, shrinking gets
 * SHRINK_TIME_MS of its own.
 */
function stopAfter(ms: number): fc.UniversalPlugin {
  return <Ts>(): fc.PluginInstance<Ts> => {
    const deadline = performance.now() + ms;
    let failedAt: number | undefined;
    return {
      decorateRun: (nestedRun) => async (value) => {
        const limit = failedAt === undefined ? deadline : failedAt + SHRINK_TIME_MS;
        if (performance.now() >= limit) return new fc.PreconditionFailure(true);
        const out = await nestedRun(value);
        if (out !== null && !(out instanceof fc.PreconditionFailure)) failedAt ??= performance.now();
        return out;
      },
    };
  };
}

/** fast-check options for a property that gets this share (0..1) of its file's time. */
export function fuzzOptions(share: number, maxRuns = 1000): fc.Parameters<unknown> {
  return {
    seed: FUZZ_SEED,
    numRuns: maxRuns,
    plugins: [stopAfter(Math.max(200, Math.floor(FUZZ_TIME_MS * share)))],
  };
}

/**
 * How a generated value is spoiled: `valid` follows the schema; `tainted` follows it too, but
 * its strings may carry NUL bytes, lone surrogates, quotes or huge lengths (see tainted());
 * `spoiled` replaces about one node in six with junk (another type, huge numbers, deep
 * nesting), and objects may lose required keys and gain read-only or unknown ones.
 */
export type Spoiling = 'valid' | 'tainted' | 'spoiled';

/** JSON text taken as it is (deep nesting JSON.stringify cannot write, numbers past a double). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold RawJson parts. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** A short, readable form of a generated value for failure messages: long strings are cut. */
export function preview(value: unknown, max = 300): string {
  const text = typeof value === 'string' ? value : toJsonText(value);
  const shown = JSON.stringify(text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);
  return typeof value === 'string' ? shown : shown.slice(1, -1).replace(/\\"/g, '"');
}

/** Strings made of characters that break naive code (a `\u0000` in a PostgreSQL text, for one). */
const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0000\u0000\u0000',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  "' OR 1=1 --",
  '"; DROP TABLE articles; --',
  '\\',
  '%',
  '%00',
  '%zz',
  '..',
  '../..',
  '/',
  '?a=1',
  '#x',
  '<script>alert(1)</script>',
  '<b><i><a href="javascript:alert(1)">x</a></i></b>',
  '\uD800',
  '\uDFFF\uD800',
  '\uFEFF',
  '\u202Eevil',
  'e\u0301',
  '👩‍👩‍👧‍👦'.repeat(20),
  'ÅNGSTRÖM',
  'a\r\nb',
  '\t\v\f',
  '$where',
  '${jndi:ldap://x}',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'ftp://127.0.0.1/x',
  'SELECT pg_sleep(10)',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '{6f9619ff-8b86-d011-b42d-00cf4fc964ff}',
  '2024-02-30T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '1970-01-01',
  'now',
  'infinity',
  '-infinity',
  'NaN',
  '1e400',
  '2147483648',
  '-2147483649',
  '9223372036854775808',
  '0x10',
  '١٢٣',
);

/** Long strings: past path limits (512), slug limits (200), column sizes, and the 1 MiB body limit. */
const huge = fc
  .tuple(
    fc.constantFrom('a', 'é', '\u0000', '😀', 'a-', '<b>x</b>', ' '),
    fc.constantFrom(129, 201, 501, 513, 2001, 10_000, 70_000, 600_000),
  )
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));

/** Any string a client could send: well-formed text, odd text, and the nasty and huge ones. */
export const junkString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,3}$/) },
  {
    weight: 1,
    arbitrary: fc.json({ maxDepth: 2 }).map((j) => Buffer.from(j).toString('base64url')),
  },
  { weight: 1, arbitrary: huge },
);

/** Numbers at the edges: int4 and int8 bounds, doubles, and past-double text. */
export const junkNumber: fc.Arbitrary<number | RawJson> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    2,
    3,
    4,
    5,
    99,
    100,
    101,
    2147483647,
    2147483648,
    -2147483648,
    -2147483649,
    4294967296,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    1e21,
    1e308,
    -1e308,
    5e-324,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(new RawJson('1e400'), new RawJson('-1e400'), new RawJson('9223372036854775808')),
);

/**
 * Well-formed strings, spoiled in their content only: a NUL byte, a lone surrogate, quotes and
 * escapes, or grown past any column's size. A request whose only fault is one of these passes
 * validation and reaches the database, where type errors never do.
 */
export function tainted(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const taints: ((s: string) => string)[] = [
    (s) => `${s}\u0000`,
    (s) => `\u0000${s}`,
    (s) => `${s.slice(0, s.length >> 1)}\u0000${s.slice(s.length >> 1)}`,
    (s) => `${s}\uD800`,
    (s) => ` ${s}\t`,
    (s) => s.toUpperCase(),
    (s) => `${s}'"\\%_`,
    (s) => `${s}<script>alert(1)</script>`,
    (s) => s.repeat(Math.ceil(70_000 / Math.max(1, s.length))),
    () => '',
  ];
  return fc.tuple(valid, fc.nat(taints.length - 1)).map(([s, i]) => taints[i](s));
}

/**
 * A well-formed value of this name, tainted: strings get tainted(); a page cursor keeps its
 * base64 and JSON shape with junk inside (spoiledCursor), since that is where a cursor's taint
 * gets past decoding.
 */
export function taintedFor(
  pool: ContentPool,
  name: string,
  valid: fc.Arbitrary<string>,
): fc.Arbitrary<string> {
  if (name === 'cursor' || name === 'after')
    return fc.oneof(
      spoiledCursor(fromPool(pool.cursors)),
      fromPool(pool.cursors).map((c) => `${c.slice(0, -2)}AA`),
      fc.json({ maxDepth: 2 }).map((j) => Buffer.from(j).toString('base64url')),
    );
  return tainted(valid);
}

/**
 * Page cursors with their content spoiled: a real cursor decoded (base64url JSON), one part
 * replaced by junk, encoded again; so the junk gets past the base64 and JSON decoding.
 */
export function spoiledCursor(real: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(
      real,
      fc.nat(5),
      fc.oneof(
        junkString,
        junkNumber.map((n) => (n instanceof RawJson ? n.text : n)),
      ),
    )
    .map(([cursor, at, junk]) => {
      let parts: unknown;
      try {
        parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        parts = [cursor];
      }
      const list = Array.isArray(parts) ? [...(parts as unknown[])] : [parts];
      list[at % (list.length + 1)] = junk;
      return Buffer.from(JSON.stringify(list)).toString('base64url');
    });
}

/** Nesting past any sensible depth, as JSON text (10,000 levels is about 20 KB). */
export const deepJson: fc.Arbitrary<RawJson> = fc
  .tuple(fc.constantFrom(64, 1000, 10_000, 100_000), fc.boolean())
  .map(([n, arrays]) =>
    arrays
      ? new RawJson(`${'['.repeat(n)}${']'.repeat(n)}`)
      : new RawJson(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  );

/** A JSON value of any type, for a field that wants another one. */
export const junkJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: junkString },
  { weight: 2, arbitrary: junkNumber },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': null }) },
  { weight: 1, arbitrary: fc.array(junkString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), junkString, { maxKeys: 3 }) },
  { weight: 1, arbitrary: deepJson },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Keys that a body must not have: read-only fields, prototype pollution, and unknown ones. */
export const junkKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'id',
    'createdAt',
    'updatedAt',
    'viewCount',
    'reactions',
    'version',
    'key',
    'role',
    'children',
    'breadcrumb',
    'status',
    'constructor',
    'prototype',
    '',
    '\u0000',
  ),
  fc.string({ maxLength: 12 }),
);

/** The real rows of a fuzz run, by kind: generated requests pick from these as well as junk. */
export interface ContentPool {
  articleIds: string[];
  articleSlugs: string[];
  /** Published articles: the ones the public, reactions and subscriptions reach. */
  publishedIds: string[];
  publishedSlugs: string[];
  sectionIds: string[];
  sectionSlugs: string[];
  tagSlugs: string[];
  revisionIds: string[];
  /** Keys the fuzz may revoke: never the keys it sends. */
  apiKeyIds: string[];
  webhookIds: string[];
  rankingSlugs: string[];
  reactionTypes: string[];
  clientIds: string[];
  bylines: string[];
  /** Real page cursors (REST nextCursor and GraphQL endCursor). */
  cursors: string[];
  /** The seeded rows as they were made, for healContent. */
  seeded: {
    articles: { id: string; slug: string; status: string; trashed: boolean }[];
    sections: { id: string; slug: string; parent: string | null }[];
  };
}

/**
 * A small newsroom for the fuzz: a section tree, articles in every status (one in the trash, one
 * pinning others, one with revisions), every block type, reactions and views, a curated ranking,
 * spare API keys and a webhook (on a loopback address, which the dispatcher refuses to call).
 */
export async function seedContent(t: TestApp): Promise<ContentPool> {
  const root = await aSection(t, 'Fuzz News');
  const child = await aSection(t, 'Fuzz World', root);
  const leaf = await aSection(t, 'Fuzz Asia', child);
  const tags = [unique('fuzz-tag'), unique('fuzz-tag')];
  const future = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
  const bodies = [
    {
      type: 'paragraph',
      text: 'Ferries left <b>Incheon</b> at dawn, <a href="https://example.com">say</a> officials.',
    },
    { type: 'heading', level: 2, text: 'What happened' },
    { type: 'quote', text: 'We waited three days.', cite: 'A passenger' },
    { type: 'list', ordered: true, items: ['one', 'two'] },
    {
      type: 'image',
      url: 'https://images.example.com/ferry.jpg',
      alt: 'A ferry',
      caption: 'At dawn',
      credit: 'AP',
    },
    { type: 'embed', url: 'https://video.example.com/v/1', provider: 'video' },
  ];
  const articles = [
    await anArticle(
      t,
      published({
        section: leaf,
        sections: [root],
        tags,
        byline: 'Min-ji Park',
        dateline: 'SEOUL, South Korea',
        source: 'AP',
        body: bodies,
        heroImage: { url: 'https://images.example.com/hero.jpg', alt: 'Harbour', width: 1200, height: 800 },
      }),
    ),
    await anArticle(t, published({ section: child, tags: [tags[0]], byline: 'Ana Souza' })),
    await anArticle(t, published({ section: root })),
    await anArticle(t, { section: child, tags }),
    await anArticle(t, { status: 'scheduled', publishedAt: future, section: leaf }),
    await anArticle(t, { status: 'archived', section: root }),
  ];
  const trashed = await anArticle(t, published({ section: leaf }));
  await t.editor.delete(`/api/v1/articles/${trashed.id}`);
  const pinning = await anArticle(
    t,
    published({ section: leaf, tags, relatedArticles: [articles[0].id, articles[1].slug, articles[3].id] }),
  );
  articles.push(pinning);
  for (const subtitle of ['First change', 'Second change'])
    await t.editor.patch(`/api/v1/articles/${pinning.id}`, { subtitle });
  const revisions = (await t.editor.get(`/api/v1/articles/${pinning.id}/revisions`)).body.data as {
    id: string;
  }[];

  const publishedOnes = articles.filter((a) => a.status === 'published');
  const clientIds = ['fuzz-reader-1', 'fuzz-reader-2'];
  for (const a of publishedOnes)
    for (const clientId of clientIds) {
      await t.anonymous.post(`/api/v1/articles/${a.id}/reactions`, { type: 'veryGood', clientId });
      await t.anonymous.post(`/api/v1/articles/${a.id}/views`, { clientId });
    }
  const ranking = unique('fuzz-picks');
  await t.editor.put(`/api/v1/rankings/${ranking}`, {
    title: 'Fuzz picks',
    articles: publishedOnes.map((a) => a.slug),
  });

  const keys = t.dateline.app.get(ApiKeysService);
  const spareKeys = [
    await keys.create('fuzz spare editor', 'editor', systemActor('fuzz setup')),
    await keys.create('fuzz spare admin', 'admin', systemActor('fuzz setup')),
  ];
  const webhook = await t.dateline.app.get(WebhookRepository).insert({
    url: 'http://127.0.0.1:9/fuzz',
    events: ['article.published', 'article.updated'],
    secret: 'whsec_ZnV6emZ1enpmdXp6ZnV6eg==',
  });

  const list = (await t.editor.get('/api/v1/articles?limit=2')).body;
  const connection = await t.anonymous.graphql('{ articles(first: 1) { pageInfo { endCursor } } }');
  const cursors = [list.page?.nextCursor, connection.data?.articles?.pageInfo?.endCursor].filter(
    (c): c is string => typeof c === 'string',
  );

  const all = [...articles, trashed];
  const sections = (
    await Promise.all([root, child, leaf].map((slug) => t.anonymous.get(`/api/v1/sections/${slug}`)))
  ).map((r) => ({
    id: r.body.id as string,
    slug: r.body.slug as string,
    parent: r.body.parent as string | null,
  }));
  return {
    articleIds: all.map((a) => a.id),
    articleSlugs: all.map((a) => a.slug),
    publishedIds: publishedOnes.map((a) => a.id),
    publishedSlugs: publishedOnes.map((a) => a.slug),
    sectionIds: (
      await Promise.all([root, child, leaf].map((s) => t.anonymous.get(`/api/v1/sections/${s}`)))
    ).map((r) => r.body.id),
    sectionSlugs: [root, child, leaf],
    tagSlugs: tags,
    revisionIds: revisions.map((r) => r.id),
    apiKeyIds: spareKeys.map((k) => k.id),
    webhookIds: [webhook.id],
    rankingSlugs: [ranking],
    reactionTypes: t.dateline.config.reactionTypes,
    clientIds,
    bylines: ['Min-ji Park', 'Ana Souza'],
    cursors,
    seeded: {
      articles: all.map((a) => ({ id: a.id, slug: a.slug, status: a.status, trashed: a === trashed })),
      sections,
    },
  };
}

/**
 * Puts the seeded rows back as they were made (slug, status, trash, section tree) after a fuzz
 * of an operation that writes, so that every operation meets the same newsroom: otherwise the
 * deletes of one operation would leave the next one only "not found".
 */
export async function healContent(t: TestApp, pool: ContentPool): Promise<void> {
  for (const s of pool.seeded.sections) {
    const now = await t.editor.get(`/api/v1/sections/${s.id}`);
    if (now.status === 200 && (now.body.slug !== s.slug || now.body.parent !== s.parent))
      await t.editor.patch(`/api/v1/sections/${s.id}`, { slug: s.slug, parent: s.parent });
  }
  for (const a of pool.seeded.articles) {
    let now = await t.editor.get(`/api/v1/articles/${a.id}`);
    if (now.status === 404 && !a.trashed) {
      await t.editor.post(`/api/v1/articles/${a.id}/restore`);
      now = await t.editor.get(`/api/v1/articles/${a.id}`);
    }
    if (now.status !== 200) continue;
    if (now.body.slug !== a.slug) await t.editor.patch(`/api/v1/articles/${a.id}`, { slug: a.slug });
    if (a.status === 'published' && now.body.status !== 'published')
      await t.editor.post(`/api/v1/articles/${a.id}/publish`, {});
  }
}

/** The live webhooks now, to tell afterwards which ones a fuzz run made. */
export async function liveWebhookIds(t: TestApp): Promise<Set<string>> {
  return new Set((await t.dateline.app.get(WebhookRepository).listLive()).map((w) => w.id));
}

/**
 * Leaves the worker's database as other tests expect it: the webhooks the run made (seeded, or
 * let through by the fuzz) are deleted, so no later test's events fan out to them.
 */
export async function removeWebhooksSince(t: TestApp, before: Set<string>): Promise<void> {
  const repo = t.dateline.app.get(WebhookRepository);
  for (const w of await repo.listLive()) if (!before.has(w.id)) await repo.softDelete(w.id);
}

/** Picks from a pool, or junk when the pool is empty. */
export function fromPool(values: string[]): fc.Arbitrary<string> {
  return values.length > 0 ? fc.constantFrom(...values) : junkString;
}

/**
 * URLs on this machine only: loopback in its many spellings, and schemes webhooks refuse. Checking
 * them never asks DNS, and a webhook made with one (which it should not be) could only call this
 * machine. The fuzz must not make Dateline look up or call any other host: webhooks resolve their
 * host when created, then deliver to it. Refusing private ranges has its own tests.
 */
export const localUrl: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('http', 'https', 'HTTP'),
    fc.constantFrom(
      '127.0.0.1',
      'localhost',
      '[::1]',
      '0.0.0.0',
      '[::]',
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
      '[::127.0.0.1]',
      '0x7f000001',
      '2130706433',
      '0177.0.0.1',
      '127.1',
      'user:pass@127.0.0.1',
      '',
    ),
    fc.constantFrom('', ':9', ':0', ':65536'),
    fc.constantFrom('/', '/hooks/dateline', '/a?b=c#d', '/%00', `/${'a'.repeat(2100)}`),
  )
  .map(([scheme, host, port, path]) => `${scheme}://${host}${port}${path}`);

const LOOPBACK_HOSTS = new Set(['localhost', '0.0.0.0', '::', '::1', '::ffff:7f00:1', '::7f00:1']);

/** True when this string is an http(s) URL to anything but this machine. */
function leavesTheMachine(s: string): boolean {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return !LOOPBACK_HOSTS.has(host) && !/^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Every string in a value that is a URL off this machine becomes a loopback URL instead. */
export function onThisMachine(value: unknown): unknown {
  if (typeof value === 'string') return leavesTheMachine(value) ? 'http://127.0.0.1:9/' : value;
  if (Array.isArray(value)) return value.map(onThisMachine);
  if (value && typeof value === 'object' && !(value instanceof RawJson))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, onThisMachine(v)]));
  return value;
}

const isoTime = fc
  .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());
const searchText = fc.oneof(
  fc.constantFrom(
    'harbour',
    'Harbour storm',
    '"harbour reopens"',
    'ferry OR storm',
    '-storm',
    'storm -',
    '!!!',
    '&|:*',
    "'",
    '"',
    'a & b | !c',
    'harbour:*',
    '(((',
  ),
  fc.string({ maxLength: 20 }),
);

/**
 * Well-formed values for a field or parameter, by its name (slug, section, clientId, cursor…):
 * real ones from the pool first, then new ones of the right shape. Junk is mixed in elsewhere.
 */
export function stringFor(pool: ContentPool, name: string): fc.Arbitrary<string> {
  // Built once per pool and name: building arbitraries (stringMatching above all) costs tens of
  // milliseconds, and the test server shares this process, so slow building delays its answers.
  let byName = stringsFor.get(pool);
  if (!byName) stringsFor.set(pool, (byName = new Map()));
  let arb = byName.get(name);
  if (!arb) byName.set(name, (arb = buildStringFor(pool, name)));
  return arb;
}

const stringsFor = new WeakMap<ContentPool, Map<string, fc.Arbitrary<string>>>();
const newSlug = fc.stringMatching(/^[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,2}$/);

function buildStringFor(pool: ContentPool, name: string): fc.Arbitrary<string> {
  const slug = newSlug;
  const n = name.toLowerCase();
  const articles = fc.oneof(
    fromPool(pool.publishedIds),
    fromPool(pool.articleSlugs),
    fromPool(pool.articleIds),
  );
  switch (n) {
    case 'slug':
      return fc.oneof(slug, fromPool(pool.sectionSlugs), fromPool(pool.articleSlugs));
    case 'parent':
    case 'section':
    case 'sections':
      return fc.oneof({ weight: 5, arbitrary: fromPool(pool.sectionSlugs) }, { weight: 1, arbitrary: slug });
    case 'tag':
    case 'tags':
      return fc.oneof(fromPool(pool.tagSlugs), slug);
    case 'articleid':
    case 'article':
    case 'articles':
    case 'relatedarticle':
    case 'relatedarticles':
      return fc.oneof({ weight: 5, arbitrary: articles }, { weight: 1, arbitrary: fc.uuid() });
    case 'clientid':
      return fc.oneof(fromPool(pool.clientIds), fc.string({ minLength: 1, maxLength: 20 }));
    case 'type':
      return fc.oneof(fromPool(pool.reactionTypes), fc.constantFrom('veryGood', 'bad', 'VERYGOOD'));
    case 'cursor':
    case 'after':
      return fromPool(pool.cursors);
    case 'author':
    case 'byline':
      return fc.oneof(fromPool(pool.bylines), fc.string({ maxLength: 20 }));
    case 'q':
      return searchText;
    case 'url':
      return localUrl;
    case 'publishedat':
    case 'updatedsince':
      return fc.oneof(isoTime, fc.constantFrom('2026-01-01', '2026-01-01T00:00:00+09:00'));
    case 'window':
      return fc.constantFrom('1h', '24h', '7d', '30d', '1d', '');
    case 'sort':
      return fc.constantFrom('popular', 'trending', 'POPULAR');
    case 'secret':
      return fc.oneof(
        fc.constantFrom('whsec_ZnV6emZ1enpmdXp6ZnV6eg==', 'short'),
        fc.string({ minLength: 16, maxLength: 40 }),
      );
    case 'externalid':
      return fc.oneof(fc.constantFrom('fuzz:1', 'fuzz:2'), fc.string({ maxLength: 20 }));
    case 'title':
    case 'name':
      return fc.oneof(
        fc.constantFrom('Ferry service resumes', 'World'),
        fc.string({ minLength: 1, maxLength: 30 }),
      );
    case 'bodyhtml':
      return fc.constantFrom(
        '<p>One</p><p>Two <b>bold</b></p>',
        '<h2>T</h2><ul><li>a</li></ul>',
        '<script>x</script>',
      );
    case 'status':
      return fc.constantFrom('draft', 'scheduled', 'published', 'archived', 'killed');
    default:
      return fc.string({ maxLength: 30 });
  }
}
