import { expectProblem } from '../support/http-client';
import { startTestApp, unique, type TestApp } from '../support/test-app';

describe('Sections: the site tree, through REST and GraphQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('an editor creates a root and a child; both APIs give the child its breadcrumb', async () => {
    const root = unique('world');
    const child = unique('asia-pacific');
    expect((await t.editor.post('/api/v1/sections', { slug: root, name: 'World' })).status).toBe(201);
    const created = await t.editor.post('/api/v1/sections', {
      slug: child,
      name: 'Asia-Pacific',
      parent: root,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: child, parent: root });

    const rest = await t.anonymous.get(`/api/v1/sections/${child}`);
    expect(rest.status).toBe(200);
    expect(rest.body.breadcrumb.map((s: { slug: string }) => s.slug)).toEqual([root, child]);

    const byId = await t.anonymous.get(`/api/v1/sections/${created.body.id}`);
    expect(byId.body.slug).toBe(child);

    const gql = await t.anonymous.graphql(
      `query($s: String!) { section(slug: $s) { slug parent breadcrumb { slug name } } }`,
      { s: child },
    );
    expect(gql.data.section).toEqual({
      slug: child,
      parent: root,
      breadcrumb: [
        { slug: root, name: 'World' },
        { slug: child, name: 'Asia-Pacific' },
      ],
    });

    const tree = await t.anonymous.get('/api/v1/sections');
    const rootNode = tree.body.data.find((s: { slug: string }) => s.slug === root);
    expect(rootNode.children.map((c: { slug: string }) => c.slug)).toEqual([child]);
  });

  it('a move that would make a cycle is 400, in REST and in GraphQL', async () => {
    const a = unique('a');
    const b = unique('b');
    await t.editor.post('/api/v1/sections', { slug: a, name: 'A' });
    await t.editor.post('/api/v1/sections', { slug: b, name: 'B', parent: a });
    const rest = await t.editor.patch(`/api/v1/sections/${a}`, { parent: b });
    expectProblem(rest, 400);
    const self = await t.editor.patch(`/api/v1/sections/${a}`, { parent: a });
    expectProblem(self, 400);
    const gql = await t.editor.graphql(
      `mutation($id: ID!) { updateSection(id: $id, input: { parent: "${b}" }) { slug } }`,
      { id: a },
    );
    expect(gql.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.anonymous.get(`/api/v1/sections/${a}`)).body.parent).toBeNull();
  });

  it('a duplicate slug is 409 and deleting a section with children is 409', async () => {
    const a = unique('dup');
    await t.editor.post('/api/v1/sections', { slug: a, name: 'A' });
    expectProblem(await t.editor.post('/api/v1/sections', { slug: a, name: 'Again' }), 409);
    const gql = await t.editor.graphql(
      `mutation { createSection(input: { slug: "${a}", name: "Again" }) { slug } }`,
    );
    expect(gql.errors?.[0].extensions?.code).toBe('CONFLICT');

    const child = unique('child');
    await t.editor.post('/api/v1/sections', { slug: child, name: 'Child', parent: a });
    expectProblem(await t.editor.delete(`/api/v1/sections/${a}`), 409);
    const gqlDelete = await t.editor.graphql(`mutation { deleteSection(id: "${a}") }`);
    expect(gqlDelete.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await t.editor.delete(`/api/v1/sections/${child}`)).status).toBe(204);
    expect((await t.editor.delete(`/api/v1/sections/${a}`)).status).toBe(204);
    expectProblem(await t.anonymous.get(`/api/v1/sections/${a}`), 404);
  });

  it('bad input names each field', async () => {
    const res = await t.editor.post('/api/v1/sections', { slug: 'Has Spaces', name: '', extra: 1 });
    expectProblem(res, 400);
    const paths = res.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['extra', 'name', 'slug']));
    expectProblem(
      await t.editor.post('/api/v1/sections', { slug: unique('x'), name: 'X', parent: 'no-such-parent' }),
      400,
    );
  });

  it('writes need a key (401), keys need the admin role (403); GraphQL says the same', async () => {
    expectProblem(await t.anonymous.post('/api/v1/sections', { slug: unique('s'), name: 'S' }), 401);
    expectProblem(await t.editor.get('/api/v1/api-keys'), 403);
    expectProblem(await t.editor.post('/api/v1/api-keys', { name: 'x', role: 'admin' }), 403);
    const anon = await t.anonymous.graphql(
      `mutation { createSection(input: { slug: "${unique('s')}", name: "S" }) { slug } }`,
    );
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a PATCH with null for the slug or the name leaves them as they are (never a 5xx)', async () => {
    const slug = unique('keep');
    expect((await t.editor.post('/api/v1/sections', { slug, name: 'Kept' })).status).toBe(201);
    const res = await t.editor.patch(`/api/v1/sections/${slug}`, { slug: null, name: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug, name: 'Kept' });
  });
});
