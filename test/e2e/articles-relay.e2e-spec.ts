/**
 * The `articles` connection as a Relay client pages it (Relay Cursor Connections specification):
 * forward with first/after, backward with last/before, pageInfo at both ends, on every ordering
 * (newest first, editors' newest first with drafts, by relevance with q), with ties.
 */
import { DataSource } from 'typeorm';
import { aSection, anArticle } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { startTestApp, unique, type TestApp } from '../support/test-app';
import type { HttpClient } from '../support/http-client';

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Page {
  ids: string[];
  cursors: string[];
  pageInfo: PageInfo;
}

const QUERY = `query($filter: ArticleFilter, $first: Int, $after: String, $last: Int, $before: String) {
  articles(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }`;

async function page(client: HttpClient, variables: Record<string, unknown>): Promise<Page> {
  const res = await client.graphql(QUERY, variables);
  expect(res.errors).toBeUndefined();
  const c = res.data.articles;
  return {
    ids: c.edges.map((e: any) => e.node.id),
    cursors: c.edges.map((e: any) => e.cursor),
    pageInfo: c.pageInfo,
  };
}

/** Every page from the start, `first: size` after the previous endCursor, as Relay pages forward. */
async function forward(client: HttpClient, filter: object, size: number): Promise<Page[]> {
  const pages: Page[] = [];
  let after: string | null = null;
  do {
    const p = await page(client, { filter, first: size, after });
    pages.push(p);
    after = p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null;
  } while (after && pages.length < 100);
  return pages;
}

/** Every page from the end, `last: size` before the previous startCursor, as Relay pages backward. */
async function backward(client: HttpClient, filter: object, size: number): Promise<Page[]> {
  const pages: Page[] = [];
  let before: string | null = null;
  do {
    const p = await page(client, { filter, last: size, before });
    pages.push(p);
    before = p.pageInfo.hasPreviousPage ? p.pageInfo.startCursor : null;
  } while (before && pages.length < 100);
  return pages;
}

/**
 * Paging backward from the end gives the forward pages' items in the same order, with the same
 * cursors; where the size divides the list, exactly the forward pages reversed. pageInfo is right
 * at both ends and in between.
 */
async function expectBackwardMirrorsForward(
  client: HttpClient,
  filter: object,
  expected: string[],
  size: number,
): Promise<void> {
  const fwd = await forward(client, filter, size);
  const bwd = await backward(client, filter, size);
  const label = { size, filter };
  expect({ label, ids: fwd.flatMap((p) => p.ids) }).toEqual({ label, ids: expected });
  expect({ label, ids: [...bwd].reverse().flatMap((p) => p.ids) }).toEqual({ label, ids: expected });
  // One cursor per item, whichever way it was reached.
  expect([...bwd].reverse().flatMap((p) => p.cursors)).toEqual(fwd.flatMap((p) => p.cursors));
  // Backward pages are chunks counted from the end.
  const fromEnd: string[][] = [];
  for (let end = expected.length; end > 0; end -= size)
    fromEnd.push(expected.slice(Math.max(0, end - size), end));
  expect(bwd.map((p) => p.ids)).toEqual(fromEnd.length ? fromEnd : [[]]);
  if (expected.length % size === 0) expect([...bwd].reverse()).toEqual(fwd);

  fwd.forEach((p, i) => {
    expect({ label, i, pageInfo: p.pageInfo }).toEqual({
      label,
      i,
      pageInfo: {
        hasNextPage: i < fwd.length - 1,
        hasPreviousPage: i > 0,
        startCursor: p.cursors[0] ?? null,
        endCursor: p.cursors.at(-1) ?? null,
      },
    });
  });
  bwd.forEach((p, i) => {
    expect({ label, i, pageInfo: p.pageInfo }).toEqual({
      label,
      i,
      pageInfo: {
        hasNextPage: i > 0,
        hasPreviousPage: i < bwd.length - 1,
        startCursor: p.cursors[0] ?? null,
        endCursor: p.cursors.at(-1) ?? null,
      },
    });
  });
}

const SIZES = [1, 2, 3, 5, 12, 100];

describe('Articles over GraphQL as a Relay connection', () => {
  let t: TestApp;
  let section: string;
  let word: string;
  /** The section's public articles, newest first, id descending among equal times. */
  let newestFirst: string[];
  let drafts: string[];

  beforeAll(async () => {
    t = await startTestApp();
    const parent = await aSection(t, 'Relay');
    const child = await aSection(t, 'Relay child', parent);
    section = parent;
    word = `zr${Math.random().toString(36).slice(2, 8)}`;
    // 12 published articles at 4 times, 3 at each: the id must order each tie the same way
    // forward and backward. Half in the child section (the filter includes descendants).
    const base = Date.parse('2024-05-01T08:00:00.000Z');
    const made: { id: string; at: number }[] = [];
    for (let i = 0; i < 12; i++) {
      const at = base + Math.floor(i / 3) * 60_000;
      // Relevance ties too: every third article mentions the word in its title, the others
      // mention it once or twice in the body, in identical texts.
      const a = await anArticle(t, {
        title: i % 3 === 0 ? `The ${word} report ${unique('')}` : `Harbour news ${unique('')}`,
        bodyText: i % 2 ? `The ${word} question.` : `The ${word} question and the ${word} answer.`,
        section: i % 2 ? child : parent,
        status: 'published',
        publishedAt: new Date(at).toISOString(),
      });
      made.push({ id: a.id, at });
    }
    newestFirst = made
      .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((a) => a.id);
    drafts = [(await anArticle(t, { section })).id, (await anArticle(t, { section: child })).id];
  });
  afterAll(() => t.close());

  it.each(SIZES)(
    'newest first in a section (page size %i): backward pages mirror forward ones',
    async (size) => {
      await expectBackwardMirrorsForward(t.anonymous, { section }, newestFirst, size);
    },
  );

  it.each([1, 4, 5])(
    'by relevance with q (page size %i): backward pages mirror forward ones, ties by id',
    async (size) => {
      const expected: { id: string }[] = await t.dateline.app.get(DataSource).query(
        `SELECT a.id FROM articles a WHERE a.id = ANY($2::uuid[])
          ORDER BY ts_rank(a.search, websearch_to_tsquery('english', $1)) DESC, a.id DESC`,
        [word, newestFirst],
      );
      const ranks: { r: string }[] = await t.dateline.app.get(DataSource).query(
        `SELECT DISTINCT ts_rank(a.search, websearch_to_tsquery('english', $1))::text AS r FROM articles a
          WHERE a.id = ANY($2::uuid[])`,
        [word, newestFirst],
      );
      // The data has ties in rank and more than one rank: both halves of the key are exercised.
      expect(ranks.length).toBeGreaterThan(1);
      expect(ranks.length).toBeLessThan(12);
      await expectBackwardMirrorsForward(
        t.anonymous,
        { q: word, section },
        expected.map((r) => r.id),
        size,
      );
    },
  );

  it("editors' list (drafts sort by their creation time) pages backward the same way", async () => {
    const all = await page(t.editor, { filter: { section }, first: 100 });
    expect(all.ids).toHaveLength(14);
    expect(all.ids).toEqual(expect.arrayContaining([...drafts, ...newestFirst]));
    await expectBackwardMirrorsForward(t.editor, { section }, all.ids, 3);
  });

  it('pageInfo past either end, and between two cursors', async () => {
    const all = await page(t.anonymous, { filter: { section }, first: 100 });
    const c = all.cursors;
    expect(all.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: c[0],
      endCursor: c[11],
    });
    // After the last item: nothing, but items before.
    expect((await page(t.anonymous, { filter: { section }, first: 5, after: c[11] })).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
    // Before the first item: nothing, but items after.
    expect((await page(t.anonymous, { filter: { section }, last: 5, before: c[0] })).pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
    // `last` alone: the end of the list.
    const tail = await page(t.anonymous, { filter: { section }, last: 4 });
    expect(tail.ids).toEqual(newestFirst.slice(8));
    expect(tail.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    // A window between two cursors, read from either end.
    const window = { filter: { section }, after: c[2], before: c[9] };
    const head = await page(t.anonymous, { ...window, first: 3 });
    expect(head.ids).toEqual(newestFirst.slice(3, 6));
    expect(head.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const end = await page(t.anonymous, { ...window, last: 3 });
    expect(end.ids).toEqual(newestFirst.slice(6, 9));
    expect(end.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const whole = await page(t.anonymous, { ...window, last: 100 });
    expect(whole.ids).toEqual(newestFirst.slice(3, 9));
    // With neither first nor last, 20 from the start; totalCount ignores the cursors.
    const res = await t.anonymous.graphql(`{ articles { totalCount edges { node { id } } } }`);
    expect(res.data.articles.totalCount).toBeGreaterThanOrEqual(12);
    expect(res.data.articles.edges).toHaveLength(Math.min(20, res.data.articles.totalCount));
    const counted = await t.anonymous.graphql(QUERY, { filter: { section }, last: 2, before: c[5] });
    expect(counted.data.articles.totalCount).toBe(12);
  });

  it('refuses first with last, sizes outside 1..100 and cursors that are not of this list', async () => {
    const code = async (variables: Record<string, unknown>) =>
      (await t.anonymous.graphql(QUERY, { filter: { section }, ...variables })).errors?.map(
        (e) => e.extensions?.code,
      );
    const all = await page(t.anonymous, { filter: { section }, first: 2 });
    expect(await code({ first: 2, last: 2 })).toEqual(['BAD_USER_INPUT']);
    expect(await code({ last: 0 })).toEqual(['BAD_USER_INPUT']);
    expect(await code({ last: 101 })).toEqual(['BAD_USER_INPUT']);
    expect(await code({ first: -1 })).toEqual(['BAD_USER_INPUT']);
    expect(await code({ last: 2, before: 'not-a-cursor' })).toEqual(['BAD_USER_INPUT']);
    // A cursor of the newest-first list is no position in the list by relevance.
    expect(await code({ last: 2, before: all.cursors[0], filter: { section, q: word } })).toEqual([
      'BAD_USER_INPUT',
    ]);
    // Well-formed cursors with values the database could not read.
    const forged = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const id = newestFirst[0];
    for (const bad of [
      ['t', 'yesterday', id],
      ['t', '2024-02-30T10:00:00.000000Z', id],
      ['t', '2024-05-01T08:00:00.000000Z', 'not-a-uuid-but-36-characters-long---'],
      ['t', '2024-05-01T08:00:00.000000Z', id, 'extra'],
      ['t', 20240501, id],
      { t: 1 },
    ]) {
      expect({ bad, code: await code({ last: 2, before: forged(bad) }) }).toEqual({
        bad,
        code: ['BAD_USER_INPUT'],
      });
      expect({ bad, code: await code({ first: 2, after: forged(bad) }) }).toEqual({
        bad,
        code: ['BAD_USER_INPUT'],
      });
      expectProblem(await t.anonymous.get(`/api/v1/articles?cursor=${forged(bad)}`), 400);
    }
    for (const bad of [
      ['q', 'abc', id],
      ['q', '1e999', id],
      ['q', '-0.5', id],
    ]) {
      expect({ bad, code: await code({ last: 2, before: forged(bad), filter: { q: word } }) }).toEqual({
        bad,
        code: ['BAD_USER_INPUT'],
      });
    }
  });

  it('the cost limit counts last like first', async () => {
    const nested = (arg: string) =>
      `{ articles(${arg}: 100) { edges { node { id related(first: 100) { reason } } } } }`;
    const byFirst = await t.anonymous.graphql(nested('first'));
    const byLast = await t.anonymous.graphql(nested('last'));
    expect(byFirst.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(byLast.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(byLast.errors?.[0].message).toBe(byFirst.errors?.[0].message);
  });
});
