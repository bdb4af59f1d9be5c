import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { countAsInt, publicPredicate } from '../articles/article.repository';

export interface BatchResult {
  /** False when the article is not public (any more): nothing was written. */
  published: boolean;
  /** The live count after the batch. */
  count: number;
  /** Which of the client hashes (hex) were new, so counted. */
  counted: Set<string>;
}

const BIGINT_MAX = '9223372036854775807';

/** The start of the hour `at` falls in: the bucket of the hourly tables. */
export function hourOf(at: number): Date {
  return new Date(Math.floor(at / 3_600_000) * 3_600_000);
}

/** All SQL of reactions. Each method is one statement, so each is atomic on its own. */
@Injectable()
export class ReactionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Adds `anonymous` reactions plus one for each client hash not seen before on this article and
   * type, in one statement: the clients' rows, the live count and the hourly bucket commit
   * together, and the count comes back from the same statement. Writes nothing unless the article
   * is public at that moment.
   */
  async add(
    articleId: string,
    type: string,
    anonymous: number,
    clientHashes: Buffer[],
  ): Promise<BatchResult> {
    const rows: { published: boolean; count: number; counted: string[] }[] = await this.dataSource.query(
      `WITH article AS (
         SELECT a.id FROM articles a WHERE a.id = $1 AND ${publicPredicate('$6')}
       ), counted AS (
         INSERT INTO reaction_clients (article_id, type, client_hash)
         SELECT $1, $2, h FROM unnest($3::bytea[]) AS h WHERE EXISTS (SELECT 1 FROM article)
         ON CONFLICT DO NOTHING
         RETURNING client_hash
       ), n AS (
         SELECT $4::int + (SELECT count(*)::int FROM counted) AS n
       ), live AS (
         INSERT INTO article_reactions (article_id, type, count)
         SELECT $1, $2, n FROM n WHERE EXISTS (SELECT 1 FROM article)
         -- Saturates at bigint's largest value instead of failing (only a count written by hand gets there).
         ON CONFLICT (article_id, type) DO UPDATE
           SET count = article_reactions.count + LEAST(excluded.count, ${BIGINT_MAX} - article_reactions.count)
         RETURNING count
       ), hourly AS (
         INSERT INTO article_reactions_hourly (article_id, hour, reactions)
         SELECT $1, $5, n FROM n WHERE n > 0 AND EXISTS (SELECT 1 FROM article)
         ON CONFLICT (article_id, hour)
         DO UPDATE SET reactions = article_reactions_hourly.reactions + excluded.reactions
       )
       SELECT EXISTS (SELECT 1 FROM article) AS published, ${countAsInt('(SELECT count FROM live)')} AS count,
              ARRAY(SELECT encode(client_hash, 'hex') FROM counted) AS counted`,
      [articleId, type, clientHashes, anonymous, hourOf(this.clock.now()), this.clock.date()],
    );
    const [row] = rows;
    return { published: row.published, count: row.count ?? 0, counted: new Set(row.counted) };
  }

  /**
   * Withdraws one client's reaction: deletes its row and, only if there was one, takes one off the
   * live count (never below 0) and off this hour's bucket. Answers the count after.
   */
  async withdraw(
    articleId: string,
    type: string,
    clientHash: Buffer,
  ): Promise<{ count: number; withdrawn: boolean }> {
    const rows: { count: number; withdrawn: boolean }[] = await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM reaction_clients WHERE article_id = $1 AND type = $2 AND client_hash = $3
         RETURNING 1
       ), live AS (
         UPDATE article_reactions SET count = GREATEST(count - 1, 0)
          WHERE article_id = $1 AND type = $2 AND EXISTS (SELECT 1 FROM gone)
         RETURNING count
       ), hourly AS (
         INSERT INTO article_reactions_hourly (article_id, hour, reactions)
         SELECT $1, $4, -1 WHERE EXISTS (SELECT 1 FROM gone)
         ON CONFLICT (article_id, hour)
         DO UPDATE SET reactions = article_reactions_hourly.reactions - 1
       )
       SELECT ${countAsInt(`COALESCE((SELECT count FROM live),
                       (SELECT count FROM article_reactions WHERE article_id = $1 AND type = $2), 0)`)} AS count,
              EXISTS (SELECT 1 FROM gone) AS withdrawn`,
      [articleId, type, clientHash, hourOf(this.clock.now())],
    );
    return rows[0];
  }

  async counts(articleId: string): Promise<Map<string, number>> {
    const rows: { type: string; count: number }[] = await this.dataSource.query(
      `SELECT type, ${countAsInt('count')} AS count FROM article_reactions WHERE article_id = $1`,
      [articleId],
    );
    return new Map(rows.map((r) => [r.type, r.count]));
  }
}
