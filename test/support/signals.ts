import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TestApp } from './test-app';

/**
 * Reader signals written at known times, straight into the tables rankings and recommendations
 * read (what the view and reaction endpoints write). `hoursAgo` k is the hour bucket starting k
 * whole hours before the start of the current hour.
 */
const db = (t: TestApp) => t.dateline.app.get(DataSource);

export async function addViews(
  t: TestApp,
  articleId: string,
  hoursAgo: number,
  views: number,
): Promise<void> {
  await db(t).query(
    `INSERT INTO article_views_hourly (article_id, hour, views)
     VALUES ($1, date_trunc('hour', now()) - make_interval(hours => $2::int), $3)
     ON CONFLICT (article_id, hour) DO UPDATE SET views = article_views_hourly.views + EXCLUDED.views`,
    [articleId, hoursAgo, views],
  );
}

export async function addReactions(
  t: TestApp,
  articleId: string,
  hoursAgo: number,
  reactions: number,
): Promise<void> {
  await db(t).query(
    `INSERT INTO article_reactions_hourly (article_id, hour, reactions)
     VALUES ($1, date_trunc('hour', now()) - make_interval(hours => $2::int), $3)
     ON CONFLICT (article_id, hour) DO UPDATE SET reactions = article_reactions_hourly.reactions + EXCLUDED.reactions`,
    [articleId, hoursAgo, reactions],
  );
}

/** Client `clientId` viewed these articles, the last one most recently. */
export async function clientViewed(t: TestApp, clientId: string, articleIds: string[]): Promise<void> {
  const hash = createHash('sha256').update(clientId).digest();
  for (const [i, id] of articleIds.entries())
    await db(t).query(
      `INSERT INTO client_views (client_hash, article_id, viewed_at)
       VALUES ($1, $2, now() - make_interval(mins => $3::int)) ON CONFLICT DO NOTHING`,
      [hash, id, articleIds.length - i],
    );
}
