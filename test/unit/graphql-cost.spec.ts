/**
 * OWASP API4:2023 Unrestricted Resource Consumption: the cost of a GraphQL operation and the cap
 * on page sizes, measured on a small schema shaped like Dateline's (lists with `first`).
 */
import { buildSchema, parse } from 'graphql';
import { validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { IsPageSize } from '../../src/common/pagination/page-size';
import { measureOperation } from '../../src/common/graphql/cost-limit';
import { DEFAULT_PAGE_SIZE, LIST_DEFAULT_SIZE, MAX_PAGE_SIZE } from '../../src/common/graphql/limits';

const schema = buildSchema(`
  type Tag { slug: String! }
  type Article { id: ID! tags: [Tag!]! related(first: Int = 5): [Article!]! }
  type Edge { node: Article! }
  type Connection { edges: [Edge!]! }
  type Query { articles(first: Int = 20): [Article!]! article(id: ID!): Article ranking(limit: Int): [Article!]!
    feed(first: Int, after: String, last: Int, before: String): Connection! }
`);

const measure = (q: string, variables?: Record<string, unknown>) =>
  measureOperation(schema, parse(q), variables);

describe('GraphQL cost', () => {
  it('counts each field once, and multiplies what is under a list by its first argument', () => {
    expect(measure('{ article(id: "1") { id } }').cost).toBe(2);
    expect(measure('{ articles(first: 10) { id } }').cost).toBe(1 + 10 * 1);
    expect(measure('query($n: Int) { articles(first: $n) { id } }', { n: 50 }).cost).toBe(1 + 50);
    // A list without first/limit counts LIST_DEFAULT_SIZE items.
    expect(measure('{ article(id: "1") { tags { slug } } }').cost).toBe(1 + 1 + LIST_DEFAULT_SIZE);
    // Nested lists multiply.
    expect(measure('{ articles(first: 100) { related(first: 100) { id } } }').cost).toBe(1 + 100 * (1 + 100));
  });

  it('counts a Relay connection by first or last, and by the default page when given neither', () => {
    expect(measure('{ feed(first: 10) { edges { node { id } } } }').cost).toBe(1 + 10 * (1 + 1 + 1));
    expect(measure('{ feed(last: 10) { edges { node { id } } } }').cost).toBe(1 + 10 * (1 + 1 + 1));
    expect(measure('query($n: Int) { feed(last: $n) { edges { node { id } } } }', { n: 7 }).cost).toBe(
      1 + 7 * 3,
    );
    expect(measure('{ feed { edges { node { id } } } }').cost).toBe(1 + DEFAULT_PAGE_SIZE * 3);
    // Both (refused when the field runs) count as the larger.
    expect(measure('{ feed(first: 2, last: 50) { edges { node { id } } } }').cost).toBe(1 + 50 * 3);
  });

  it(`flags first/limit outside 1..${MAX_PAGE_SIZE}, from literals and from variables`, () => {
    expect(measure('{ articles(first: 100) { id } }').badPageSizes).toEqual([]);
    expect(measure('{ articles(first: 101) { id } }').badPageSizes).toEqual(['articles.first']);
    expect(measure('{ ranking(limit: 0) { id } }').badPageSizes).toEqual(['ranking.limit']);
    expect(measure('{ feed(last: 101) { edges { node { id } } } }').badPageSizes).toEqual(['feed.last']);
    expect(measure('{ feed(last: 0) { edges { node { id } } } }').badPageSizes).toEqual(['feed.last']);
    expect(measure('query($n: Int) { articles(first: $n) { id } }', { n: 1_000_000 }).badPageSizes).toEqual([
      'articles.first',
    ]);
  });
});

class PageArgs {
  @IsPageSize() limit?: number;
}

describe('IsPageSize (REST query and GraphQL args)', () => {
  const errorsFor = async (limit: unknown) =>
    (await validate(plainToInstance(PageArgs, { limit }) as object)).map((e) => e.property);

  it.each([['1'], ['100'], [20], [undefined]])('accepts %p', async (limit) => {
    expect(await errorsFor(limit)).toEqual([]);
  });

  it.each([['0'], ['101'], ['12abc'], [''], ['1.5'], [-1], [1e9]])('refuses %p', async (limit) => {
    expect(await errorsFor(limit)).toEqual(['limit']);
  });
});
