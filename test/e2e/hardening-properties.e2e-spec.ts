/**
 * Property-based tests over the REST inputs that exist today. Sources: OWASP API3:2023 Broken
 * Object Property Level Authorization and API8:2023 Security Misconfiguration (no input makes
 * the server fail or leak), and the input-validation advisories of the CMSs we compared (crashes
 * and 500s on unexpected JSON types). Random well-formed and malformed values never produce a
 * 5xx and never change rows they should not.
 *
 * Runs are capped (NUM_RUNS) so the suite stays fast; on a failure fast-check prints the seed and
 * the counterexample path: replay with `fc.assert(…, { seed, path })`.
 * Imports are not on this branch yet: their lines get the same treatment when they land.
 */
import fc from 'fast-check';
import { unique, startTestApp, type TestApp } from '../support/test-app';

const NUM_RUNS = 50;
const options = { numRuns: NUM_RUNS, verbose: true };

/** Strings that a slug, a name or an id field could meet in the wild, well-formed or not. */
const slugLike = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,3}$/),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '-',
    'a--b',
    'UPPER',
    '../etc',
    '%00',
    "'; DROP TABLE sections; --",
    'a'.repeat(300),
  ),
);
/** Any JSON value, including the wrong types for every field. */
const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true }),
  slugLike,
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const withoutUndefined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const sectionBody = fc
  .record({
    slug: maybe(fc.oneof(slugLike, anyJson)),
    name: maybe(fc.oneof(fc.string({ maxLength: 30 }), anyJson)),
    description: maybe(fc.oneof(fc.string({ maxLength: 30 }), anyJson)),
    parent: maybe(fc.oneof(slugLike, anyJson)),
    extra: maybe(
      fc.tuple(fc.constantFrom('id', 'createdAt', 'children', 'breadcrumb', 'x', 'constructor'), anyJson),
    ),
  })
  .map(({ extra, ...fields }) => withoutUndefined({ ...fields, ...(extra ? { [extra[0]]: extra[1] } : {}) }));

/**
 * A PATCH that must be refused: some field has a wrong type, or a field is not writable. (A null
 * slug or name is not among them: null leaves a field as it is, as in the GraphQL inputs.)
 */
const badPatch = fc
  .tuple(
    sectionBody,
    fc.oneof(
      fc.record({ slug: fc.oneof(fc.integer(), fc.boolean(), fc.constant('Not A Slug')) }),
      fc.record({ name: fc.oneof(fc.integer(), fc.constant(''), fc.array(fc.string())) }),
      fc.record({
        description: fc.oneof(fc.integer(), fc.boolean(), fc.dictionary(fc.string(), fc.string())),
      }),
      fc.record({ id: fc.uuid() }),
      fc.record({ createdAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) }),
      fc.record({ [`unknown_${Math.random().toString(36).slice(2, 6)}`]: anyJson }),
    ),
  )
  .map(([base, bad]) => ({ ...base, ...bad }));

describe('Hardening: property-based REST inputs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ nodeEnv: 'production' });
  });
  afterAll(() => t.close());

  it('any section body: 201, 400 or 409, never a 5xx; a 201 is readable as created', async () => {
    await fc.assert(
      fc.asyncProperty(sectionBody, async (body) => {
        const res = await t.editor.post('/api/v1/sections', body);
        expect([201, 400, 409]).toContain(res.status);
        if (res.status === 201) {
          const read = await t.anonymous.get(`/api/v1/sections/${res.body.id}`);
          expect(read.body).toMatchObject({ slug: body.slug, name: body.name });
        }
      }),
      options,
    );
  });

  it('a refused PATCH changes nothing; any PATCH is never a 5xx', async () => {
    const slug = unique('prop');
    const created = await t.editor.post('/api/v1/sections', { slug, name: 'Stable', description: 'kept' });
    expect(created.status).toBe(201);
    const before = (await t.editor.get(`/api/v1/sections/${slug}`)).body;
    const nulls = await t.editor.patch(`/api/v1/sections/${slug}`, { slug: null, name: null });
    expect(nulls.status).toBe(200);
    expect((await t.editor.get(`/api/v1/sections/${created.body.id}`)).body).toEqual(before);
    await fc.assert(
      fc.asyncProperty(badPatch, async (patch) => {
        const res = await t.editor.patch(`/api/v1/sections/${slug}`, patch);
        expect(res.status).toBe(400);
        expect((await t.editor.get(`/api/v1/sections/${created.body.id}`)).body).toEqual(before);
      }),
      options,
    );
    await fc.assert(
      fc.asyncProperty(sectionBody, async (patch) => {
        const target = unique('prop-any');
        expect((await t.editor.post('/api/v1/sections', { slug: target, name: 'T' })).status).toBe(201);
        const res = await t.editor.patch(`/api/v1/sections/${target}`, patch);
        expect([200, 400, 409]).toContain(res.status);
        // Whatever happened to the target, the other section is untouched.
        expect((await t.editor.get(`/api/v1/sections/${created.body.id}`)).body).toEqual(before);
      }),
      { ...options, numRuns: 25 },
    );
  });

  it('any api-key body: 201 or 400, never a 5xx; a refused body creates no key', async () => {
    const keyBody = fc
      .record({
        name: maybe(fc.oneof(fc.string({ maxLength: 30 }), anyJson)),
        role: maybe(fc.oneof(fc.constantFrom('editor', 'admin', 'root', 'Admin', ''), anyJson)),
        extra: maybe(
          fc.tuple(fc.constantFrom('id', 'keyHash', 'prefix', 'key', 'createdAt', 'revokedAt'), anyJson),
        ),
      })
      .map(({ extra, ...fields }) =>
        withoutUndefined({ ...fields, ...(extra ? { [extra[0]]: extra[1] } : {}) }),
      );
    await fc.assert(
      fc.asyncProperty(keyBody, async (body) => {
        const marker = unique('keyprop');
        const sent = typeof body.name === 'string' ? { ...body, name: `${marker}${body.name}` } : body;
        const res = await t.admin.post('/api/v1/api-keys', sent);
        expect([201, 400]).toContain(res.status);
        if (res.status === 400) {
          const list = await t.admin.get('/api/v1/api-keys');
          expect(list.body.data.some((k: { name: string }) => k.name.startsWith(marker))).toBe(false);
        } else {
          expect(res.body.role).toBe(body.role);
          expect((await t.admin.delete(`/api/v1/api-keys/${res.body.id}`)).status).toBe(204);
        }
      }),
      options,
    );
  });

  it('any path parameter: sections answer 200/400/404/414 and api-keys 400/404/414, never a 5xx', async () => {
    const param = fc.oneof(
      slugLike,
      fc.uuid(),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.string({ maxLength: 600 }),
    );
    await fc.assert(
      fc.asyncProperty(param, async (raw) => {
        const p = encodeURIComponent(raw);
        if (p === '' || p === '.' || p === '..') return;
        expect([200, 400, 404, 414]).toContain((await t.anonymous.get(`/api/v1/sections/${p}`)).status);
        expect([400, 404, 414]).toContain((await t.admin.delete(`/api/v1/api-keys/${p}`)).status);
        expect([400, 404, 414]).toContain(
          (await t.editor.patch(`/api/v1/sections/${p}`, { name: 'x' })).status,
        );
      }),
      options,
    );
  });

  it('any JSON text as a body: 201, 400 or 409, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 50 })), async (text) => {
        const res = await t.editor.post('/api/v1/sections', text, { 'content-type': 'application/json' });
        expect([201, 400, 409]).toContain(res.status);
      }),
      options,
    );
  });
});
