import { aSection, anArticle } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { startTestApp, unique, type TestApp } from '../support/test-app';

type Item = { reason: string; article: { slug: string; status: string } };
const list = (res: { body: { data: Item[] } }) => res.body.data.map((i) => [i.article.slug, i.reason]);

describe('Related articles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('pins first in their order, then scored candidates with reasons; never itself or an unpublished one', async () => {
    const parent = await aSection(t, 'Science');
    const home = await aSection(t, 'Geology', parent);
    const away = await aSection(t, 'Sport');
    const [t1, t2] = [unique('lava'), unique('iceland')];
    const text = (s: string) => ({ bodyText: s });
    const pub = { status: 'published' };
    const twoTags = await anArticle(t, {
      ...pub,
      title: `Parliament debates budget ${unique('')}`,
      tags: [t1, t2],
      section: away,
      ...text('Ministers argued over spending.'),
    });
    const oneTag = await anArticle(t, {
      ...pub,
      title: `Football final delayed ${unique('')}`,
      tags: [t1],
      section: away,
      ...text('Fans waited for hours.'),
    });
    const sameSection = await anArticle(t, {
      ...pub,
      title: `Quartz crystals found ${unique('')}`,
      section: home,
      ...text('A cave full of quartz.'),
    });
    const ancestor = await anArticle(t, {
      ...pub,
      title: `Telescope funding approved ${unique('')}`,
      section: parent,
      ...text('Astronomers celebrated.'),
    });
    const similar = await anArticle(t, {
      ...pub,
      title: `Volcanologists warn of eruption ${unique('')}`,
      section: away,
      ...text('The volcano could erupt again, volcanologists said.'),
    });
    const draft = await anArticle(t, { title: 'Volcano draft', tags: [t1, t2], section: home });
    const pinA = await anArticle(t, {
      ...pub,
      title: `Pinned one ${unique('')}`,
      ...text('Unrelated words.'),
    });
    const pinB = await anArticle(t, { ...pub, title: `Pinned two ${unique('')}`, ...text('Other words.') });
    const source = await anArticle(t, {
      ...pub,
      title: 'Volcano erupts near fishing village',
      tags: [t1, t2],
      section: home,
      relatedArticles: [pinB.slug, draft.id, pinA.id],
      ...text('The volcano erupted overnight. Lava reached the village.'),
    });

    const res = await t.anonymous.get(`/api/v1/articles/${source.slug}/related?limit=100`);
    expect(res.status).toBe(200);
    const items = list(res);
    expect(items.slice(0, 2)).toEqual([
      [pinB.slug, 'editor-pick'],
      [pinA.slug, 'editor-pick'],
    ]);
    const slugs = items.map((i) => i[0]);
    expect(slugs).not.toContain(source.slug);
    expect(slugs).not.toContain(draft.slug);
    expect(res.body.data.every((i: Item) => i.article.status === 'published')).toBe(true);
    expect(new Set(slugs).size).toBe(slugs.length);
    const reasonOf = (slug: string) => items.find((i) => i[0] === slug)?.[1];
    expect(reasonOf(twoTags.slug)).toBe('shared-tags');
    expect(reasonOf(oneTag.slug)).toBe('shared-tags');
    expect(reasonOf(sameSection.slug)).toBe('same-section');
    expect(reasonOf(ancestor.slug)).toBe('same-section');
    expect(reasonOf(similar.slug)).toBe('similar-text');
    // Two shared tags beat one, which beats none; the own section beats an ancestor's.
    const at = (slug: string) => slugs.indexOf(slug);
    expect(at(twoTags.slug)).toBe(2);
    expect(at(oneTag.slug)).toBeLessThan(at(sameSection.slug));
    expect(at(sameSection.slug)).toBeLessThan(at(ancestor.slug));
    expect(at(twoTags.slug)).toBeLessThan(at(similar.slug));

    const five = await t.anonymous.get(`/api/v1/articles/${source.id}/related`);
    expect(five.body.data).toHaveLength(5);
    expect(list(five)).toEqual(items.slice(0, 5));
    // Unpublishing a candidate drops it.
    await t.editor.post(`/api/v1/articles/${twoTags.id}/unpublish`, {});
    const after = list(await t.anonymous.get(`/api/v1/articles/${source.id}/related?limit=100`));
    expect(after.map((i) => i[0])).not.toContain(twoTags.slug);
  });

  it('an archive story published in 1900 is related like any other, only ranked lower (its decay stays in range)', async () => {
    const section = await aSection(t, 'Archive');
    const tag = unique('archive');
    const fields = { status: 'published', section, tags: [tag], bodyText: 'From the archive.' };
    // Words no other test uses, so other stories in the worker's database are not similar text.
    const today = await anArticle(t, { ...fields, title: `Quillwharf opens ${unique('')}` });
    const recent = await anArticle(t, { ...fields, title: `Quillwharf extended ${unique('')}` });
    const old = await anArticle(t, {
      ...fields,
      title: `Quillwharf planned ${unique('')}`,
      publishedAt: '1900-01-01T00:00:00.000Z',
    });
    const res = await t.anonymous.get(`/api/v1/articles/${today.slug}/related?limit=50`);
    expect(res.status).toBe(200);
    expect(list(res).filter(([slug]) => slug === recent.slug || slug === old.slug)).toEqual([
      [recent.slug, 'shared-tags'],
      [old.slug, 'shared-tags'],
    ]);
  });

  it('Article.related in GraphQL; 404 for an unknown or unpublished article; bad limit 400', async () => {
    const tag = unique('tide');
    const other = await anArticle(t, { status: 'published', tags: [tag] });
    const source = await anArticle(t, { status: 'published', tags: [tag] });
    const gql = await t.anonymous.graphql(
      `query($slug: String) { article(slug: $slug) { related(first: 3) { reason article { slug bodyText } } } }`,
      { slug: source.slug },
    );
    expect(gql.errors).toBeUndefined();
    expect(gql.data.article.related[0]).toEqual({
      reason: 'shared-tags',
      article: { slug: other.slug, bodyText: expect.any(String) },
    });
    expect(gql.data.article.related.length).toBeLessThanOrEqual(3);
    const draft = await anArticle(t);
    expectProblem(await t.anonymous.get(`/api/v1/articles/${draft.slug}/related`), 404);
    expectProblem(await t.anonymous.get(`/api/v1/articles/no-such-article-at-all/related`), 404);
    expectProblem(await t.anonymous.get(`/api/v1/articles/${source.slug}/related?limit=101`), 400);
    expect((await t.editor.get(`/api/v1/articles/${draft.slug}/related`)).status).toBe(200);
  });
});
