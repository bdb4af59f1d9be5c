import { Client } from 'pg';
import { aSection, anArticle } from '../support/article-factory';
import { WebhookDispatcher } from '../../src/webhooks/webhook.dispatcher';
import { startTestApp, unique, type TestApp } from '../support/test-app';

const ARTICLE_FIELDS = `id slug url externalId title subtitle dateline byline source excerpt status publishedAt createdAt updatedAt
  viewCount bodyHtml bodyText
  body { __typename ... on ParagraphBlock { type text } ... on HeadingBlock { type level text }
    ... on QuoteBlock { type text cite } ... on ListBlock { type ordered items }
    ... on ImageBlock { type url alt caption credit } ... on EmbedBlock { type url provider } }
  section { id slug name } breadcrumb { id slug name } sections { id slug name } tags { slug name }
  heroImage { url alt caption credit width height media { id } } reactions { articleId type count }
  relatedArticles { id slug } version jsonLd`;

/** Counts the SQL statements the server sends while fn runs (every pg client query). */
async function countQueries(fn: () => Promise<unknown>): Promise<number> {
  const spy = jest.spyOn(Client.prototype, 'query');
  try {
    await fn();
    // The section tree is a shared, time-limited cache whose refill does not depend on the page;
    // the webhook dispatcher polls its tables in the background whatever the request.
    return spy.mock.calls.filter(
      (c) => !/FROM sections\s*$|outbox_events|webhook_deliveries/.test(String((c[0] as any)?.text ?? c[0])),
    ).length;
  } finally {
    spy.mockRestore();
  }
}

describe('Articles over GraphQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers the same values as REST, field by field', async () => {
    const world = await aSection(t, 'World');
    const asia = await aSection(t, 'Asia-Pacific', world);
    const extra = await aSection(t, 'Business');
    const pinned = await anArticle(t, { status: 'published' });
    const article = await anArticle(t, {
      title: 'Ferry service resumes',
      subtitle: 'After three weeks',
      dateline: 'BUSAN, South Korea',
      byline: 'Jae Kim',
      source: 'Reuters',
      section: asia,
      sections: [extra],
      tags: [unique('ferries'), 'transport'],
      heroImage: { url: 'https://img.example/ferry.jpg', alt: 'A ferry', width: 1200, height: 800 },
      body: [
        { type: 'heading', level: 2, text: 'Back at sea' },
        { type: 'paragraph', text: 'The first ferry left at <b>six</b>.' },
        { type: 'quote', text: 'We missed the sea.', cite: 'A passenger' },
        { type: 'list', ordered: true, items: ['Busan', 'Jeju'] },
        { type: 'image', url: 'https://img.example/deck.jpg', alt: 'Deck', caption: 'On deck', credit: 'AP' },
        { type: 'embed', url: 'https://video.example/v/1', provider: 'Video' },
      ],
      relatedArticles: [pinned.slug],
      status: 'published',
    });
    const rest = (await t.anonymous.get(`/api/v1/articles/${article.slug}`)).body;
    const gql = await t.anonymous.graphql(
      `query($slug: String) { article(slug: $slug) { ${ARTICLE_FIELDS} } }`,
      {
        slug: article.slug,
      },
    );
    expect(gql.errors).toBeUndefined();
    const g = gql.data.article;
    for (const field of Object.keys(rest)) {
      if (field === 'body') continue;
      if (field === 'heroImage') {
        // REST names the library's picture by id; GraphQL answers the Media itself.
        const { media, ...hero } = g.heroImage;
        expect({ ...hero, media: media?.id ?? null }).toEqual(rest.heroImage);
        continue;
      }
      if (field === 'relatedArticles') {
        expect(g.relatedArticles).toEqual(rest.relatedArticles.map((r: any) => ({ id: r.id, slug: r.slug })));
        continue;
      }
      expect({ field, value: g[field] }).toEqual({ field, value: rest[field] });
    }
    expect(
      g.body.map(({ __typename, ...b }: any) =>
        Object.fromEntries(Object.entries(b).filter(([, v]) => v !== null)),
      ),
    ).toEqual(rest.body);
    expect(g.body.map((b: any) => b.__typename)).toEqual([
      'HeadingBlock',
      'ParagraphBlock',
      'QuoteBlock',
      'ListBlock',
      'ImageBlock',
      'EmbedBlock',
    ]);
    expect(g.breadcrumb.map((s: any) => s.slug)).toEqual([world, asia]);
    expect(g.relatedArticles).toEqual([{ id: pinned.id, slug: pinned.slug }]);
  });

  it('the public sees no drafts; editors do; mutations need the editor role', async () => {
    const draft = await anArticle(t);
    const q = `query($id: ID) { article(id: $id) { id status } }`;
    expect((await t.anonymous.graphql(q, { id: draft.id })).data.article).toBeNull();
    expect((await t.editor.graphql(q, { id: draft.id })).data.article).toEqual({
      id: draft.id,
      status: 'draft',
    });
    const big = await t.anonymous.graphql(`{ articles(first: 1000) { totalCount } }`);
    expect(big.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const drafts = await t.anonymous.graphql(`{ articles(filter: { status: draft }) { totalCount } }`);
    expect(drafts.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const edDrafts = await t.editor.graphql(
      `{ articles(filter: { status: draft }, first: 100) { edges { node { id } } } }`,
    );
    expect(edDrafts.data.articles.edges.map((e: any) => e.node.id)).toContain(draft.id);
    const anon = await t.anonymous.graphql(`mutation { createArticle(input: { title: "x" }) { id } }`);
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('mutations create, update, publish, unpublish, delete and restore', async () => {
    const section = await aSection(t, 'Culture');
    const created = await t.editor.graphql(
      `mutation($input: ArticleInput!) { createArticle(input: $input) { id slug status section { slug } tags { slug } } }`,
      {
        input: {
          title: 'Museum reopens',
          section,
          tags: ['museums'],
          bodyHtml: '<p>Doors open <script>x</script>at ten.</p>',
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const id = created.data.createArticle.id;
    expect(created.data.createArticle).toMatchObject({
      status: 'draft',
      section: { slug: section },
      tags: [{ slug: 'museums' }],
    });
    const updated = await t.editor.graphql(
      `mutation($id: ID!) { updateArticle(id: $id, input: { subtitle: "Free entry" }) { title subtitle bodyText } }`,
      { id },
    );
    expect(updated.data.updateArticle).toEqual({
      title: 'Museum reopens',
      subtitle: 'Free entry',
      bodyText: 'Doors open at ten.',
    });
    const pub = await t.editor.graphql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id });
    expect(pub.data.publishArticle.status).toBe('published');
    expect((await t.anonymous.get(`/api/v1/articles/${id}`)).status).toBe(200);
    const unpub = await t.editor.graphql(`mutation($id: ID!) { unpublishArticle(id: $id) { status } }`, {
      id,
    });
    expect(unpub.data.unpublishArticle.status).toBe('draft');
    expect(
      (await t.editor.graphql(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id })).data.deleteArticle,
    ).toBe(true);
    expect((await t.editor.get(`/api/v1/articles/${id}`)).status).toBe(404);
    const restored = await t.editor.graphql(`mutation($id: ID!) { restoreArticle(id: $id) { id } }`, { id });
    expect(restored.data.restoreArticle.id).toBe(id);
    const bad = await t.editor.graphql(`mutation { createArticle(input: { title: "" }) { id } }`);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await t.editor.graphql(
      `mutation { createArticle(input: { title: "x", section: "no-such-section-here" }) { id } }`,
    );
    expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a page of 50 with section, breadcrumb, tags and reactions costs as many queries as a page of 5', async () => {
    const tag = unique('many');
    const parent = await aSection(t, 'Parent');
    const child = await aSection(t, 'Child', parent);
    for (let i = 0; i < 50; i++)
      await anArticle(t, {
        tags: [tag, `${tag}-${i % 3}`],
        section: i % 2 ? child : parent,
        status: 'published',
      });
    const query = `query($tag: String, $first: Int) { articles(filter: { tag: $tag }, first: $first) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id slug section { slug } breadcrumb { slug } tags { slug } reactions { type count }
        sections { slug } relatedArticles { id } } } } }`;
    let five: any;
    let fifty: any;
    // The webhook dispatcher's background polling (the 50 publishes queued events) is not the page's.
    await t.dateline.app.get(WebhookDispatcher).stop();
    const small = await countQueries(async () => {
      five = await t.anonymous.graphql(query, { tag, first: 5 });
    });
    const large = await countQueries(async () => {
      fifty = await t.anonymous.graphql(query, { tag, first: 50 });
    });
    expect(five.errors).toBeUndefined();
    expect(five.data.articles.edges).toHaveLength(5);
    expect(fifty.data.articles.edges).toHaveLength(50);
    expect(fifty.data.articles.totalCount).toBe(50);
    expect(fifty.data.articles.pageInfo.hasNextPage).toBe(false);
    expect(five.data.articles.pageInfo.hasNextPage).toBe(true);
    expect(fifty.data.articles.edges[1].node.breadcrumb.length).toBeGreaterThan(0);
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(small);
    t.dateline.app.get(WebhookDispatcher).start();

    const after = await t.anonymous.graphql(query, { tag, first: 5 });
    const next = await t.anonymous.graphql(
      `query($tag: String, $after: String) { articles(filter: { tag: $tag }, first: 5, after: $after) { edges { node { id } } } }`,
      { tag, after: after.data.articles.pageInfo.endCursor },
    );
    const ids = [...after.data.articles.edges, ...next.data.articles.edges].map((e: any) => e.node.id);
    expect(new Set(ids).size).toBe(10);
  });

  it('revisions: editors read them as REST shows them and restore one; the public gets none', async () => {
    const section = await aSection(t, 'Revisions');
    const article = await anArticle(t, {
      title: 'First title',
      bodyText: 'First body.',
      section,
      tags: ['history'],
      heroImage: { url: 'https://img.example/first.jpg', alt: 'First' },
      status: 'published',
    });
    await t.editor.patch(`/api/v1/articles/${article.id}`, { title: 'Second title' });
    await t.editor.patch(`/api/v1/articles/${article.id}`, { title: 'Third title', bodyText: 'Third body.' });
    const REVISION_FIELDS = `id articleId createdAt author slug externalId title subtitle dateline byline source
      excerpt section sections tags status publishedAt relatedArticles
      heroImage { url alt caption credit width height }
      body { __typename ... on ParagraphBlock { type text } }`;
    const q = `query($id: ID) { article(id: $id) { title revisions { ${REVISION_FIELDS} } } }`;

    const rest = (await t.editor.get(`/api/v1/articles/${article.id}/revisions`)).body.data;
    expect(rest.map((r: any) => r.title)).toEqual(['Second title', 'First title']);
    const ed = await t.editor.graphql(q, { id: article.id });
    expect(ed.errors).toBeUndefined();
    const revisions = ed.data.article.revisions.map(({ body, ...r }: any) => ({
      ...r,
      body: body.map(({ __typename, ...b }: any) => b),
    }));
    expect(revisions).toEqual(rest);
    expect(revisions[1]).toMatchObject({
      articleId: article.id,
      author: 'test editor',
      title: 'First title',
      section,
      tags: ['history'],
      body: [{ type: 'paragraph', text: 'First body.' }],
    });

    // Anonymous: the article reads, its revisions do not (REST answers 401 there).
    const anon = await t.anonymous.graphql(q, { id: article.id });
    expect(anon.data.article).toEqual({ title: 'Third title', revisions: null });
    expect(anon.errors?.map((e: any) => [e.extensions.code, e.path])).toEqual([
      ['UNAUTHENTICATED', ['article', 'revisions']],
    ]);
    const listed = await t.anonymous.graphql(
      `query($section: String) { articles(filter: { section: $section }) { edges { node { revisions { id } } } } }`,
      { section },
    );
    expect(listed.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(listed.data.articles.edges[0].node.revisions).toBeNull();

    const restore = `mutation($articleId: ID!, $revisionId: ID!) {
      restoreRevision(articleId: $articleId, revisionId: $revisionId) { id title bodyText revisions { title } } }`;
    const first = rest[1];
    const refused = await t.anonymous.graphql(restore, { articleId: article.id, revisionId: first.id });
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await t.editor.get(`/api/v1/articles/${article.id}`)).body.title).toBe('Third title');

    const restored = await t.editor.graphql(restore, { articleId: article.slug, revisionId: first.id });
    expect(restored.errors).toBeUndefined();
    expect(restored.data.restoreRevision).toEqual({
      id: article.id,
      title: 'First title',
      bodyText: 'First body.',
      revisions: [{ title: 'Third title' }, { title: 'Second title' }, { title: 'First title' }],
    });
    expect((await t.anonymous.get(`/api/v1/articles/${article.id}`)).body.title).toBe('First title');

    const bad = await t.editor.graphql(restore, { articleId: article.id, revisionId: 'not-a-uuid' });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await t.editor.graphql(restore, {
      articleId: article.id,
      revisionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('revisions of a page of articles cost one query, not one per article', async () => {
    const tag = unique('revs');
    for (let i = 0; i < 6; i++) {
      const a = await anArticle(t, { tags: [tag] });
      await t.editor.patch(`/api/v1/articles/${a.id}`, { title: `Edited ${i}` });
    }
    const q = `query($tag: String, $first: Int) { articles(filter: { tag: $tag }, first: $first) {
      edges { node { id revisions { id title } } } } }`;
    await t.dateline.app.get(WebhookDispatcher).stop();
    let two: any;
    let six: any;
    const small = await countQueries(async () => {
      two = await t.editor.graphql(q, { tag, first: 2 });
    });
    const large = await countQueries(async () => {
      six = await t.editor.graphql(q, { tag, first: 6 });
    });
    t.dateline.app.get(WebhookDispatcher).start();
    expect(six.errors).toBeUndefined();
    expect(two.data.articles.edges).toHaveLength(2);
    expect(six.data.articles.edges.map((e: any) => e.node.revisions.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(large).toBe(small);
  });
});
