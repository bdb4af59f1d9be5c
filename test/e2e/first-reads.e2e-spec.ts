import { aSection, anArticle } from '../support/article-factory';
import { startTestApp, unique, type TestApp } from '../support/test-app';

const PAGE = `query Page($slug: String!) {
  article(slug: $slug) {
    id title section { slug } tags { slug } reactions { type count }
    related(first: 5) { reason article { id title } }
    recommendations(first: 5) { reason article { id title } }
  }
}`;

/** read_cache_fills_total for one cache, from /metrics. */
async function fills(t: TestApp, cache: 'article' | 'graphql'): Promise<number> {
  const text = (await t.anonymous.get('/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`read_cache_fills_total{cache="${cache}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/**
 * The first readers of a new story arrive together (a push alert, a crawler and a reader): they
 * share one composition of the answer instead of each composing it.
 */
describe('First reads: concurrent misses of one answer compose it once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function newStory() {
    const tag = unique('flood');
    const section = await aSection(t, 'Weather');
    const sibling = await anArticle(t, { status: 'published', section, tags: [tag] });
    const story = await anArticle(t, { status: 'published', section, tags: [tag] });
    return { story, sibling };
  }

  it('50 concurrent first reads of one GraphQL article page compose it once, and all get the same answer', async () => {
    const { story, sibling } = await newStory();
    const [graphqlBefore, articleBefore] = [await fills(t, 'graphql'), await fills(t, 'article')];

    const answers = await Promise.all(
      Array.from({ length: 50 }, () => t.anonymous.graphql(PAGE, { slug: story.slug })),
    );

    for (const a of answers) {
      expect(a.errors).toBeUndefined();
      expect(a.data).toEqual(answers[0].data);
    }
    expect(answers[0].data.article).toMatchObject({ id: story.id, title: story.title });
    expect(answers[0].data.article.related).toContainEqual(
      expect.objectContaining({
        reason: 'shared-tags',
        article: expect.objectContaining({ id: sibling.id }),
      }),
    );
    expect((await fills(t, 'graphql')) - graphqlBefore).toBe(1);
    expect((await fills(t, 'article')) - articleBefore).toBe(1);
  });

  it('50 concurrent first reads of one REST article read it from the database once', async () => {
    const { story } = await newStory();
    const before = await fills(t, 'article');

    const answers = await Promise.all(
      Array.from({ length: 50 }, () => t.anonymous.get(`/api/v1/articles/${story.slug}`)),
    );

    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body).toEqual(answers[0].body);
    }
    expect(answers[0].body).toMatchObject({ id: story.id, title: story.title });
    expect((await fills(t, 'article')) - before).toBe(1);
  });

  it('a write while first reads wait is never hidden: the next read shows it', async () => {
    const { story } = await newStory();
    const reads = Array.from({ length: 20 }, () => t.anonymous.graphql(PAGE, { slug: story.slug }));
    const patched = await t.editor.patch(`/api/v1/articles/${story.id}`, { title: 'Flood waters recede' });
    expect(patched.status).toBe(200);
    await Promise.all(reads);
    expect((await t.anonymous.graphql(PAGE, { slug: story.slug })).data.article.title).toBe(
      'Flood waters recede',
    );
  });
});
