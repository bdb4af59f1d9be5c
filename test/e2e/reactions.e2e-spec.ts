import { DataSource } from 'typeorm';
import { anArticle, published } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { usingEmbeddedDatabase } from '../support/test-database';
import { startTestApp, unique, type TestApp } from '../support/test-app';

const REACT = `mutation($a: ID!, $t: String!, $c: String) { react(articleId: $a, type: $t, clientId: $c) { articleId type count } }`;
const UNREACT = `mutation($a: ID!, $t: String!, $c: String!) { unreact(articleId: $a, type: $t, clientId: $c) { articleId type count } }`;

describe('Reactions: the counter that never loses a count', () => {
  let t: TestApp;
  if (usingEmbeddedDatabase()) {
    console.log(
      'Reactions: 25 concurrent clients instead of 100 on the embedded database (one session: 100 time out waiting for it).',
    );
  }
  beforeAll(async () => {
    t = await startTestApp({ reactionTypes: ['veryGood', 'sad'] });
  });
  afterAll(() => t.close());

  const reactionsOf = async (slug: string) =>
    (await t.anonymous.get(`/api/v1/articles/${slug}/reactions`)).body;

  it('4,000 reactions from 100 concurrent clients, a quarter through GraphQL: the count is the acknowledged answers, each answer its own position', async () => {
    const a = await anArticle(t, published());
    const clients = usingEmbeddedDatabase() ? 25 : 100;
    const answered: number[] = [];
    let failed = 0;
    const client = async (n: number) => {
      for (let i = 0; i < 4000 / clients; i++) {
        if (n % 4 === 0) {
          const res = await t.anonymous.graphql(REACT, { a: a.id, t: 'veryGood' });
          if (res.data?.react) answered.push(res.data.react.count);
          else failed++;
        } else {
          const res = await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'veryGood' });
          if (res.status === 200) answered.push(res.body.count);
          else failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, n) => client(n)));
    expect(failed).toBe(0);
    expect(answered).toHaveLength(4000);
    // Every caller got the count right after its own reaction: 1 … 4000, each once.
    expect([...answered].sort((x, y) => x - y)).toEqual(Array.from({ length: 4000 }, (_, i) => i + 1));

    expect(await reactionsOf(a.slug)).toEqual({
      articleId: a.id,
      reactions: [
        { type: 'veryGood', count: 4000 },
        { type: 'sad', count: 0 },
      ],
    });
    const rest = await t.anonymous.get(`/api/v1/articles/${a.slug}`);
    expect(rest.body.reactions).toEqual([
      { articleId: a.id, type: 'veryGood', count: 4000 },
      { articleId: a.id, type: 'sad', count: 0 },
    ]);
    const gql = await t.anonymous.graphql(
      `query($s: String) { article(slug: $s) { reactions { type count } } }`,
      {
        s: a.slug,
      },
    );
    expect(gql.data.article.reactions).toEqual([
      { type: 'veryGood', count: 4000 },
      { type: 'sad', count: 0 },
    ]);
  });

  it('one clientId, 50 concurrent reactions: +1; withdraw: −1; a repeat withdraw changes nothing', async () => {
    const a = await anArticle(t, published());
    await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'veryGood' });
    await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'veryGood' });
    const clientId = unique('reader');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2
          ? t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'veryGood', clientId })
          : t.anonymous.graphql(REACT, { a: a.id, t: 'veryGood', c: clientId }),
      ),
    );
    for (const res of answers) {
      const body = 'data' in res ? (res.data as { react: unknown }).react : (res as { body: unknown }).body;
      expect(body).toEqual({ articleId: a.id, type: 'veryGood', count: 3 });
    }
    expect((await reactionsOf(a.slug)).reactions[0].count).toBe(3);

    // Another type is counted on its own.
    const sad = await t.anonymous.post(`/api/v1/articles/${a.id}/reactions`, { type: 'sad', clientId });
    expect(sad.body).toEqual({ articleId: a.id, type: 'sad', count: 1 });

    const withdraw = await t.anonymous.delete(
      `/api/v1/articles/${a.slug}/reactions/veryGood?clientId=${encodeURIComponent(clientId)}`,
    );
    expect(withdraw.status).toBe(200);
    expect(withdraw.body).toEqual({ articleId: a.id, type: 'veryGood', count: 2 });
    const again = await t.anonymous.delete(
      `/api/v1/articles/${a.slug}/reactions/veryGood?clientId=${encodeURIComponent(clientId)}`,
    );
    expect(again.body).toEqual({ articleId: a.id, type: 'veryGood', count: 2 });
    const gqlAgain = await t.anonymous.graphql(UNREACT, { a: a.slug, t: 'veryGood', c: clientId });
    expect(gqlAgain.data.unreact).toEqual({ articleId: a.id, type: 'veryGood', count: 2 });
    expect(await reactionsOf(a.slug)).toEqual({
      articleId: a.id,
      reactions: [
        { type: 'veryGood', count: 2 },
        { type: 'sad', count: 1 },
      ],
    });

    // Withdrawn, the client may react again, once.
    const back = await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, {
      type: 'veryGood',
      clientId,
    });
    expect(back.body.count).toBe(3);
  });

  it('a withdrawal by a client that never reacted leaves the count alone; a count never goes below 0', async () => {
    const a = await anArticle(t, published());
    const res = await t.anonymous.delete(`/api/v1/articles/${a.slug}/reactions/veryGood?clientId=nobody`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ articleId: a.id, type: 'veryGood', count: 0 });
  });

  it('unknown type, missing or too long clientId, bad body: 400 in REST and GraphQL', async () => {
    const a = await anArticle(t, published());
    const unknownType = await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'meh' });
    expectProblem(unknownType, 400);
    expect(unknownType.body.errors).toEqual([expect.objectContaining({ path: 'type' })]);
    expectProblem(await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, {}), 400);
    const long = await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, {
      type: 'veryGood',
      clientId: 'x'.repeat(129),
    });
    expectProblem(long, 400);
    expect(long.body.errors).toEqual([expect.objectContaining({ path: 'clientId' })]);
    expect(
      (
        await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, {
          type: 'veryGood',
          clientId: 'x'.repeat(128),
        })
      ).status,
    ).toBe(200);
    expectProblem(await t.anonymous.delete(`/api/v1/articles/${a.slug}/reactions/veryGood`), 400);
    expectProblem(await t.anonymous.delete(`/api/v1/articles/${a.slug}/reactions/meh?clientId=c`), 400);
    expectProblem(
      await t.anonymous.post(`/api/v1/articles/${a.slug}/views`, { clientId: 'x'.repeat(129) }),
      400,
    );

    const gqlType = await t.anonymous.graphql(REACT, { a: a.id, t: 'meh' });
    expect(gqlType.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const gqlLong = await t.anonymous.graphql(REACT, { a: a.id, t: 'veryGood', c: 'x'.repeat(129) });
    expect(gqlLong.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await reactionsOf(a.slug)).reactions[0].count).toBe(1);
  });

  it('drafts, trashed and missing articles: 404 for reactions and views, in REST and GraphQL', async () => {
    const draft = await anArticle(t);
    const trashed = await anArticle(t, published());
    expect((await t.editor.delete(`/api/v1/articles/${trashed.slug}`)).status).toBe(204);
    for (const key of [draft.slug, draft.id, trashed.slug, unique('missing')]) {
      expectProblem(await t.anonymous.post(`/api/v1/articles/${key}/reactions`, { type: 'veryGood' }), 404);
      expectProblem(await t.anonymous.get(`/api/v1/articles/${key}/reactions`), 404);
      expectProblem(await t.anonymous.delete(`/api/v1/articles/${key}/reactions/veryGood?clientId=c`), 404);
      expectProblem(await t.anonymous.post(`/api/v1/articles/${key}/views`, {}), 404);
    }
    const gql = await t.anonymous.graphql(REACT, { a: draft.id, t: 'veryGood' });
    expect(gql.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const view = await t.anonymous.graphql(`mutation($a: ID!) { recordView(articleId: $a) }`, {
      a: draft.id,
    });
    expect(view.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('an article unpublished after reactions takes no more (its id may be remembered, the write checks again)', async () => {
    const a = await anArticle(t, published());
    expect(
      (await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'veryGood' })).status,
    ).toBe(200);
    expect((await t.editor.post(`/api/v1/articles/${a.slug}/unpublish`)).status).toBe(200);
    expectProblem(await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'veryGood' }), 404);
    expectProblem(
      await t.anonymous.post(`/api/v1/articles/${a.id}/reactions`, { type: 'veryGood', clientId: 'c' }),
      404,
    );
    const gql = await t.anonymous.graphql(REACT, { a: a.slug, t: 'veryGood' });
    expect(gql.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const [row] = await t.dateline.app
      .get(DataSource)
      .query(
        `SELECT count::int AS count FROM article_reactions WHERE article_id = $1 AND type = 'veryGood'`,
        [a.id],
      );
    expect(row.count).toBe(1);
  });

  it('a reaction changes the article ETag', async () => {
    const a = await anArticle(t, published());
    const before = (await t.anonymous.get(`/api/v1/articles/${a.slug}`)).headers.get('etag');
    await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'sad' });
    const after = await t.anonymous.get(`/api/v1/articles/${a.slug}`, { 'if-none-match': before as string });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
  });
});
