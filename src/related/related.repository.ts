import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { publicPredicate } from '../articles/article.repository';

export interface RelatedQuery {
  articleId: string;
  /** The article's own section (scores 2) and its ancestors (score 1). */
  sectionId: string | null;
  ancestorIds: string[];
  limit: number;
  /** The text query of similar text (see similarityQuery), or null for none. */
  similarTo: string | null;
}

export interface Lexeme {
  lexeme: string;
  inTitle: boolean;
  uses: number;
}

export interface RelatedRow {
  id: string;
  reason: string;
}

/** How many candidates each signal contributes before scoring. */
const POOL = 100;
/** Lexemes of the source article used for text similarity. */
const TERMS = 6;
/** A lexeme in more than this share of all articles says little about a story. */
const MAX_TERM_FREQUENCY = 0.05;

/**
 * The source article's most telling lexemes as an OR text query: title words first, then the
 * rarer ones (by `frequencies`, see lexemeFrequencies), leaving out lexemes in more than
 * MAX_TERM_FREQUENCY of all articles. Null when none is left.
 */
export function similarityQuery(lexemes: Lexeme[], frequencies: Map<string, number>): string | null {
  const freq = (l: Lexeme) => frequencies.get(l.lexeme) ?? 0;
  const picked = lexemes
    .filter((l) => freq(l) <= MAX_TERM_FREQUENCY)
    .sort(
      (a, b) =>
        Number(b.inTitle) - Number(a.inTitle) ||
        freq(a) - freq(b) ||
        b.uses - a.uses ||
        (a.lexeme < b.lexeme ? -1 : a.lexeme > b.lexeme ? 1 : 0),
    )
    .slice(0, TERMS);
  // Quoted as tsquery input wants it: a quote doubled, a backslash escaped.
  const quoted = picked.map((l) => `'${l.lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
  return quoted.length ? quoted.join(' | ') : null;
}
/** Recency: the score halves every RECENCY_HALF_LIFE_DAYS days since publication. */
export const RECENCY_HALF_LIFE_DAYS = 30;
/**
 * The decay stops after this many halvings (about 80 years): an archive story from 1900 halved
 * 1,500 times is past what a double holds, and PostgreSQL refused the whole list. In float8, with
 * the cap, it stays a tiny positive number, so older still ranks below newer.
 */
const MAX_HALVINGS = 1000;

/**
 * Related articles in one query: editor pins first in their order, then candidates from shared
 * tags (3 per shared tag), the same section (2) or an ancestor's (1), and full-text similarity
 (5 × ts_rank normalised to 0..1 against the source's top lexemes), the sum decayed by age. The reason is the
 * strongest of the three signals.
 */
@Injectable()
export class RelatedRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * How often each common lexeme occurs (share of articles), from the statistics ANALYZE keeps on
   * the search column. Read once in a while (RelatedService keeps it): parsing pg_stats cost more
   * than the rest of a related list.
   */
  async lexemeFrequencies(): Promise<Map<string, number>> {
    const rows: { lexeme: string; freq: number }[] = await this.dataSource.query(
      `SELECT e.lexeme, e.freq::float8 AS freq FROM pg_stats s,
              unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lexeme, freq)
        WHERE s.tablename = 'articles' AND s.attname = 'search' AND s.schemaname = current_schema()`,
    );
    return new Map(rows.map((r) => [r.lexeme, Number(r.freq)]));
  }

  /** The article's lexemes (longer than two letters), whether the title has them, how often. */
  async lexemesOf(articleId: string): Promise<Lexeme[]> {
    return this.dataSource.query(
      `SELECT u.lexeme, ('A' = ANY(u.weights)) AS "inTitle", coalesce(array_length(u.positions, 1), 0) AS uses
         FROM articles a CROSS JOIN LATERAL unnest(a.search) u
        WHERE a.id = $1 AND length(u.lexeme) > 2`,
      [articleId],
    );
  }

  /**
   * The candidates and their reasons. The text query is a parameter (not computed inside) so that
   * the planner sees its lexemes and picks the GIN index or the recency index accordingly.
   */
  async related(q: RelatedQuery): Promise<RelatedRow[]> {
    const pub = publicPredicate('$6');
    const terms = q.similarTo;
    return this.dataSource.query(
      `WITH pins AS (SELECT related_id AS id, position FROM article_related WHERE article_id = $1),
       by_tags AS (
         SELECT at.article_id AS id, count(*)::float8 AS n FROM article_tags at
          WHERE at.tag_id IN (SELECT tag_id FROM article_tags WHERE article_id = $1) AND at.article_id <> $1
          GROUP BY at.article_id ORDER BY count(*) DESC LIMIT ${POOL}
       ),
       by_section AS (
         SELECT a.id, CASE WHEN a.section_id = $2::uuid THEN 2 ELSE 1 END::float8 AS n FROM articles a
          WHERE a.section_id = ANY($3::uuid[]) AND ${pub} AND a.id <> $1
          ORDER BY a.published_at DESC LIMIT ${POOL}
       ),
       by_text AS (
         SELECT m.id, ts_rank(m.search, $5::tsquery, 32)::float8 AS n FROM (
           SELECT a.id, a.search FROM articles a
            WHERE $5::tsquery IS NOT NULL AND a.search @@ $5::tsquery AND ${pub} AND a.id <> $1
            ORDER BY a.published_at DESC LIMIT ${POOL}) m
       ),
       cand AS (
         SELECT id, sum(t) AS t, sum(s) AS s, sum(x) AS x FROM (
           SELECT id, n * 3 AS t, 0 AS s, 0 AS x FROM by_tags
           UNION ALL SELECT id, 0, n, 0 FROM by_section
           UNION ALL SELECT id, 0, 0, n * 5 FROM by_text) c
          WHERE id NOT IN (SELECT id FROM pins) GROUP BY id
       ),
       scored AS (
         SELECT a.id, a.published_at, c.t, c.s, c.x,
                (c.t + c.s + c.x) * power(0.5::float8, least(
                  greatest(extract(epoch FROM $6::timestamptz - a.published_at), 0) / 86400.0 / ${RECENCY_HALF_LIFE_DAYS},
                  ${MAX_HALVINGS})::float8) AS score
           FROM cand c JOIN articles a ON a.id = c.id
          WHERE ${pub} AND a.id <> $1
          ORDER BY score DESC, a.published_at DESC, a.id DESC LIMIT $4
       )
       SELECT id, reason FROM (
         SELECT a.id, 'editor-pick' AS reason, p.position::float8 AS k, 0::float8 AS score,
                a.published_at
           FROM pins p JOIN articles a ON a.id = p.id WHERE ${pub} AND a.id <> $1
         UNION ALL
         SELECT id, CASE WHEN t > 0 AND t >= s AND t >= x THEN 'shared-tags'
                         WHEN s > 0 AND s >= x THEN 'same-section' ELSE 'similar-text' END,
                1e9, score, published_at FROM scored
       ) z ORDER BY k, score DESC, published_at DESC, id DESC LIMIT $4`,
      [
        q.articleId,
        q.sectionId,
        [...(q.sectionId ? [q.sectionId] : []), ...q.ancestorIds],
        q.limit,
        terms,
        this.clock.date(),
      ],
    );
  }
}
