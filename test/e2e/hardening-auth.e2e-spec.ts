/**
 * Authentication and authorisation hardening. Sources: OWASP API2:2023 Broken Authentication
 * (constant-time key checks, a burst of bad keys slowed down, X-Forwarded-For believed only as
 * far as TRUST_PROXY says), OWASP API5:2023 Broken Function Level Authorization (401 vs 403 on every route and
 * every mutation: the route walk), and the role-bypass advisories of the CMSs we compared (e.g.
 * Directus GHSA-* "permissions not enforced on some endpoints", Strapi's admin-route bypasses).
 */
import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { systemActor } from '../../src/common/auth/actor';
import type { TrustProxy } from '../../src/config/config';
import { HttpClient, expectProblem } from '../support/http-client';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The contract's public operations, in one table: anonymous callers must never get 401/403 from
 * these. Every other REST operation needs a key (401 anonymously); operations under ADMIN_ONLY
 * need the admin role (403 for an editor). Paths are OpenAPI templates as /api/docs-json lists them.
 */
const PUBLIC_REST = new Set([
  'GET /api/v1/articles',
  'GET /api/v1/articles/{idOrSlug}',
  'GET /api/v1/articles/{idOrSlug}/related',
  'GET /api/v1/articles/{idOrSlug}/reactions',
  'POST /api/v1/articles/{idOrSlug}/reactions',
  'DELETE /api/v1/articles/{idOrSlug}/reactions/{type}',
  'POST /api/v1/articles/{idOrSlug}/views',
  'GET /api/v1/sections',
  'GET /api/v1/sections/{idOrSlug}',
  'GET /api/v1/rankings',
  'GET /api/v1/rankings/{slug}',
  'GET /api/v1/recommendations',
  'GET /api/v1/preview/{token}',
  'GET /api/v1/media/{id}',
  'GET /api/v1/media/{id}/renditions/{version}/{name}',
  'GET /api/v1/feeds/{file}',
  'GET /api/v1/feeds/{kind}/{file}',
  'GET /api/v1/sitemaps/{file}',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
]);
const ADMIN_ONLY = [/^\/api\/v1\/api-keys(\/|$)/, /^\/api\/v1\/webhooks(\/|$)/, /^\/api\/v1\/audit(\/|$)/];
/** GraphQL mutations the contract opens to everyone; every other mutation needs a key. */
const PUBLIC_MUTATIONS = new Set(['react', 'unreact', 'recordView']);
/** GraphQL mutations for admins only (none in the contract yet: keys and webhooks are REST). */
const ADMIN_MUTATIONS = /apiKey|webhook/i;

interface OpenApiOperation {
  parameters?: { name: string; in: string; schema?: { format?: string } }[];
}
type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function plausiblePath(template: string, op: OpenApiOperation): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const param = op.parameters?.find((p) => p.in === 'path' && p.name === name);
    const wantsUuid = param?.schema?.format === 'uuid' || name === 'id' || name.endsWith('Id');
    return wantsUuid ? randomUUID() : `route-walk-${name.toLowerCase()}`;
  });
}

describe('Hardening: authentication', () => {
  it('a key is checked whole: a right prefix with a wrong secret, a wrong prefix, or a revoked key all fail', async () => {
    const t = await startTestApp();
    try {
      const keys = t.dateline.app.get(ApiKeysService);
      const created = await keys.create('constant-time check', 'editor', systemActor('test setup'));
      const [, prefix, secret] = /^dl_([0-9a-f]{16})_(.+)$/.exec(created.key) ?? [];
      expect(await keys.authenticate(created.key)).toMatchObject({ keyId: created.id, role: 'editor' });
      const flipped = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
      expect(await keys.authenticate(`dl_${prefix}_${flipped}`)).toBeNull();
      expect(await keys.authenticate(`dl_${'0'.repeat(16)}_${secret}`)).toBeNull();
      expect(await keys.authenticate(`dl_${prefix}_${secret}x`)).toBeNull();
      expect(await keys.authenticate('')).toBeNull();
      await keys.revoke(created.id, systemActor('test setup'));
      expect(await keys.authenticate(created.key)).toBeNull();
      expectProblem(await new HttpClient(t.url, created.key).get('/api/v1/api-keys'), 401);
    } finally {
      await t.close();
    }
  });

  describe('a burst of bad keys from one IP is slowed (RATE_LIMIT_AUTH_FAILURES_PER_MINUTE)', () => {
    const BAD_KEY = 'Bearer dl_0000000000000000_not-a-real-secret-at-all';

    async function attempt(t: TestApp, ip?: string) {
      return new HttpClient(t.url).get('/api/v1/sections', {
        authorization: BAD_KEY,
        ...(ip ? { 'x-forwarded-for': ip } : {}),
      });
    }

    it('the budget spent, a bad key is 429 with Retry-After and RateLimit-*; good keys still work', async () => {
      const t = await startTestApp({ rateLimitAuthFailuresPerMinute: 3 });
      try {
        for (let i = 0; i < 3; i++) expectProblem(await attempt(t), 401);
        const limited = await attempt(t);
        expectProblem(limited, 429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(limited.headers.get('ratelimit-limit')).toBe('3');
        expect(limited.headers.get('ratelimit-remaining')).toBe('0');
        expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
        expect((await t.editor.get('/api/v1/sections')).status).toBe(200);
      } finally {
        await t.close();
      }
    });

    it('0 turns the budget off', async () => {
      const t = await startTestApp({ rateLimitAuthFailuresPerMinute: 0 });
      try {
        for (let i = 0; i < 25; i++) expectProblem(await attempt(t), 401);
      } finally {
        await t.close();
      }
    });

    it.each<[string, TrustProxy]>([
      ['1', 1],
      ['127.0.0.1', ['127.0.0.1']],
    ])(
      'TRUST_PROXY=%s: the address the proxy appended names the client; one the client wrote itself escapes nothing',
      async (_setting, trustProxy) => {
        const t = await startTestApp({ rateLimitAuthFailuresPerMinute: 2, trustProxy });
        try {
          for (let i = 0; i < 2; i++) expectProblem(await attempt(t, '203.0.113.7'), 401);
          expectProblem(await attempt(t, '203.0.113.7'), 429);
          // The client wrote a fresh address of its own; the proxy appended the real one.
          for (let i = 0; i < 20; i++) expectProblem(await attempt(t, `198.51.100.${i}, 203.0.113.7`), 429);
          expectProblem(await attempt(t, '203.0.113.8'), 401);
        } finally {
          await t.close();
        }
      },
    );

    it('TRUST_PROXY=false: X-Forwarded-For is ignored, so changing it does not escape the budget', async () => {
      const t = await startTestApp({ rateLimitAuthFailuresPerMinute: 2, trustProxy: false });
      try {
        expectProblem(await attempt(t, '203.0.113.7'), 401);
        expectProblem(await attempt(t, '203.0.113.8'), 401);
        expectProblem(await attempt(t, '203.0.113.9'), 429);
      } finally {
        await t.close();
      }
    });
  });
});

describe('Hardening: the route walk (every REST operation in the OpenAPI document)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ nodeEnv: 'production' });
  });
  afterAll(() => t.close());

  it('public routes never answer 401/403 anonymously; others 401; admin routes 403 to editors; never 500', async () => {
    const doc = (await t.anonymous.get<OpenApiDocument>('/api/docs-json')).body;
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({ method: m.toUpperCase(), template: path, op: item[m] })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(10);
    const seen: string[] = [];
    const wrong: string[] = [];
    for (const { method, template, op } of operations) {
      const id = `${method} ${template}`;
      seen.push(id);
      const path = plausiblePath(template, op);
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      const isPublic = PUBLIC_REST.has(id);
      const adminOnly = ADMIN_ONLY.some((re) => re.test(template));
      const answers = {
        anonymous: (await t.anonymous.request(method, path, body)).status,
        editor: (await t.editor.request(method, path, body)).status,
        admin: (await t.admin.request(method, path, body)).status,
      };
      const expectations: [boolean, string][] = [
        [Object.values(answers).every((s) => s < 500), 'no 5xx'],
        [isPublic ? ![401, 403].includes(answers.anonymous) : answers.anonymous === 401, 'anonymous'],
        [adminOnly ? answers.editor === 403 : ![401, 403].includes(answers.editor), 'editor'],
        [![401, 403].includes(answers.admin), 'admin'],
      ];
      for (const [ok, who] of expectations) if (!ok) wrong.push(`${id} (${who}): ${JSON.stringify(answers)}`);
    }
    expect(wrong).toEqual([]);
    // The walk covers at least the foundation's routes.
    expect(seen).toEqual(
      expect.arrayContaining([
        'GET /api/v1/sections',
        'POST /api/v1/sections',
        'PATCH /api/v1/sections/{idOrSlug}',
        'DELETE /api/v1/sections/{idOrSlug}',
        'POST /api/v1/api-keys',
        'GET /api/v1/api-keys',
        'DELETE /api/v1/api-keys/{id}',
        'GET /health/ready',
      ]),
    );
  });
});

interface IntrospectedType {
  kind: string;
  name: string | null;
  ofType: IntrospectedType | null;
}
interface IntrospectedField {
  name: string;
  args: { name: string; type: IntrospectedType }[];
  type: IntrospectedType;
}
interface IntrospectedInput {
  name: string;
  kind: string;
  inputFields: { name: string; type: IntrospectedType }[] | null;
  enumValues: { name: string }[] | null;
}

const TYPE_REF =
  'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';

function typeText(t: IntrospectedType): string {
  if (t.kind === 'NON_NULL') return `${typeText(t.ofType!)}!`;
  if (t.kind === 'LIST') return `[${typeText(t.ofType!)}]`;
  return t.name!;
}

function namedType(t: IntrospectedType): IntrospectedType {
  return t.ofType ? namedType(t.ofType) : t;
}

/** A value that passes GraphQL's own type checks, so the call reaches the guard. */
function sampleValue(t: IntrospectedType, types: Map<string, IntrospectedInput>): unknown {
  if (t.kind === 'NON_NULL') return sampleValue(t.ofType!, types);
  if (t.kind === 'LIST') return [sampleValue(t.ofType!, types)];
  const named = types.get(t.name!);
  if (t.kind === 'ENUM') return named?.enumValues?.[0]?.name;
  if (t.kind === 'INPUT_OBJECT') {
    const out: Record<string, unknown> = {};
    for (const f of named?.inputFields ?? []) {
      if (f.type.kind === 'NON_NULL') out[f.name] = sampleValue(f.type, types);
    }
    return out;
  }
  const scalars: Record<string, unknown> = { Int: 1, Float: 1.5, Boolean: true, ID: randomUUID() };
  return t.name && t.name in scalars ? scalars[t.name] : 'route-walk';
}

describe('Hardening: the mutation walk (every mutation in the GraphQL schema)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('anonymous callers get UNAUTHENTICATED except on public mutations; editors get in; never INTERNAL', async () => {
    const schema = await t.anonymous.graphql(`{ __schema {
      mutationType { fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } } }
      types { name kind inputFields { name type { ${TYPE_REF} } } enumValues { name } } } }`);
    expect(schema.errors).toBeUndefined();
    const types = new Map<string, IntrospectedInput>(
      (schema.data.__schema.types as IntrospectedInput[]).map((ty) => [ty.name, ty]),
    );
    const mutations = schema.data.__schema.mutationType.fields as IntrospectedField[];
    expect(mutations.map((m) => m.name)).toEqual(
      expect.arrayContaining(['createSection', 'updateSection', 'deleteSection']),
    );

    const wrong: string[] = [];
    for (const m of mutations) {
      const decl = m.args.map((a) => `$${a.name}: ${typeText(a.type)}`).join(', ');
      const call = m.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const selection = ['OBJECT', 'INTERFACE', 'UNION'].includes(namedType(m.type).kind)
        ? ' { __typename }'
        : '';
      const query = `mutation${decl ? `(${decl})` : ''} { ${m.name}${call ? `(${call})` : ''}${selection} }`;
      const variables = Object.fromEntries(m.args.map((a) => [a.name, sampleValue(a.type, types)]));
      const code = async (c: HttpClient) => (await c.graphql(query, variables)).errors?.[0]?.extensions?.code;
      const anonymous = await code(t.anonymous);
      const editor = await code(t.editor);
      const isPublic = PUBLIC_MUTATIONS.has(m.name);
      const adminOnly = ADMIN_MUTATIONS.test(m.name);
      if (anonymous === 'INTERNAL_SERVER_ERROR' || editor === 'INTERNAL_SERVER_ERROR')
        wrong.push(`${m.name}: INTERNAL`);
      if (anonymous === 'BAD_USER_INPUT' && !isPublic)
        wrong.push(`${m.name}: the walk's sample values did not type-check`);
      if (
        isPublic
          ? ['UNAUTHENTICATED', 'FORBIDDEN'].includes(String(anonymous))
          : anonymous !== 'UNAUTHENTICATED'
      )
        wrong.push(`${m.name} anonymous: ${String(anonymous)}`);
      if (adminOnly ? editor !== 'FORBIDDEN' : ['UNAUTHENTICATED', 'FORBIDDEN'].includes(String(editor)))
        wrong.push(`${m.name} editor: ${String(editor)}`);
    }
    expect(wrong).toEqual([]);
  });
});
