import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DemoSeeder } from '../src/articles/demo/demo-seeder';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/config';

export interface BenchData {
  databaseUrl: string;
  adminKey: string;
  slugs: string[];
  /** Set aside for the first-read scenarios: never read by any other (see BenchContext). */
  coldSlugs: string[];
  sectionSlugs: string[];
  /** Readers with views (for recommendations). */
  clientIds: string[];
  postgresVersion: string;
  /**
   * A copy of the prepared database, byte for byte (CREATE DATABASE … TEMPLATE), named
   * `<name>_<suffix>`: the same data set for a second server. Call before any server connects.
   */
  clone(suffix: string): Promise<{ databaseUrl: string; drop(): Promise<void> }>;
  /** Drops the database (clones first). */
  drop(): Promise<void>;
}

/** One published article in this many is kept for the first-read scenarios. */
const COLD_SHARE = 5;

/**
 * How many set-aside articles one first-read run reads: the reserve shared by the two first-read
 * scenarios over every round, after their warm-ups (FIRST_READ_WARM_UP each).
 */
export function coldPerRun(coldSlugs: number, rounds: number): number {
  return Math.max(1, Math.floor((coldSlugs - 4 * FIRST_READ_WARM_UP) / (2 * rounds)));
}
export const FIRST_READ_WARM_UP = 100;

function serverUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres'
  );
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A fresh `dateline_bench` database: migrated, with the demo newsroom plus generated articles
 * (about 3 KB bodies) up to `articles`. Extra data for later scenarios goes in `extraData`.
 */
export async function prepareDatabase(articles: number, views?: number): Promise<BenchData> {
  const server = serverUrl();
  // BENCH_DATABASE_NAME lets two benches share one PostgreSQL server without dropping each other's data.
  const name = process.env.BENCH_DATABASE_NAME ?? 'dateline_bench';
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`BENCH_DATABASE_NAME must be a plain identifier: ${name}`);
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  const postgresVersion = ((await admin.query('SHOW server_version')).rows[0] as { server_version: string })
    .server_version;
  const databaseUrl = withDatabase(server, name);

  process.stdout.write(`bench: generating ${articles} articles in ${name} … `);
  const started = Date.now();
  const config = { ...loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' }), databaseUrl };
  const dateline = await createApp(config);
  try {
    await dateline.app.get(DemoSeeder).seed({ articles });
  } finally {
    await dateline.close();
  }
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const published = (
    (
      await db.query(
        `SELECT slug FROM articles WHERE deleted_at IS NULL AND status = 'published' ORDER BY md5(slug)`,
      )
    ).rows as {
      slug: string;
    }[]
  ).map((r) => r.slug);
  // One article in COLD_SHARE, spread over the whole archive (the order is a hash of the slug).
  const coldSlugs = published.filter((_, i) => i % COLD_SHARE === 0);
  const slugs = published.filter((_, i) => i % COLD_SHARE !== 0);
  const sectionSlugs = ((await db.query(`SELECT slug FROM sections`)).rows as { slug: string }[]).map(
    (r) => r.slug,
  );
  const clientIds = await generateSignals(db, views ?? defaultViews(articles));
  await db.query('ANALYZE');
  await db.end();
  process.stdout.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  return {
    databaseUrl,
    adminKey: randomBytes(24).toString('hex'),
    slugs,
    coldSlugs,
    sectionSlugs,
    clientIds,
    postgresVersion,
    clone: async (suffix) => {
      const copy = `${name}_${suffix}`;
      await admin.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${copy}" TEMPLATE "${name}"`);
      return {
        databaseUrl: withDatabase(server, copy),
        drop: async () => void (await admin.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`)),
      };
    },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** 1,000,000 view events from 100,000 articles up, else ten per article. */
export function defaultViews(articles: number): number {
  return articles >= 100_000 ? 1_000_000 : articles * 10;
}

/**
 * Reader signals, set-based: `views` view events over the last 30 days by about views/20 readers,
 * popularity skewed (article rank ~ N × u³: a few hot articles take most views), written as
 * client_views (one row per reader and article) and the hourly view counts, plus a reaction for
 * about one view in twenty. Gives back a sample of reader ids (the clientId strings).
 */
export async function generateSignals(db: Client, views: number): Promise<string[]> {
  if (views <= 0) return [];
  process.stdout.write(`${views} views … `);
  const readers = Math.max(10, Math.floor(views / 20));
  await db.query(`CREATE TEMP TABLE bench_articles AS
    SELECT id, (row_number() OVER (ORDER BY random()) - 1)::int AS n FROM articles
     WHERE deleted_at IS NULL AND status = 'published' AND published_at <= now()`);
  await db.query(`CREATE UNIQUE INDEX ON bench_articles (n)`);
  const [{ count }] = (await db.query(`SELECT count(*)::int AS count FROM bench_articles`)).rows as {
    count: number;
  }[];
  if (!count) return [];
  await db.query(
    `CREATE TEMP TABLE bench_events AS
     SELECT 'reader-' || floor(random() * $2)::int AS client, floor($3 * power(random(), 3))::int AS n,
            now() - random() * interval '30 days' AS at
       FROM generate_series(1, $1)`,
    [views, readers, count],
  );
  await db.query(`
    INSERT INTO client_views (client_hash, article_id, viewed_at)
    SELECT sha256(convert_to(e.client, 'UTF8')), a.id, max(e.at)
      FROM bench_events e JOIN bench_articles a USING (n) GROUP BY 1, 2`);
  await db.query(`
    INSERT INTO article_views_hourly (article_id, hour, views)
    SELECT a.id, date_trunc('hour', e.at), count(*)
      FROM bench_events e JOIN bench_articles a USING (n) GROUP BY 1, 2`);
  await db.query(`
    INSERT INTO article_reactions_hourly (article_id, hour, reactions)
    SELECT a.id, date_trunc('hour', e.at), count(*)
      FROM bench_events e JOIN bench_articles a USING (n) WHERE random() < 0.05 GROUP BY 1, 2`);
  const sample = (
    (await db.query(`SELECT DISTINCT client FROM bench_events ORDER BY client LIMIT 200`)).rows as {
      client: string;
    }[]
  ).map((r) => r.client);
  await db.query(`DROP TABLE bench_events, bench_articles`);
  // A live system's autovacuum keeps the visibility map current: index-only scans need it.
  await db.query(`VACUUM ANALYZE client_views, article_views_hourly, article_reactions_hourly`);
  return sample;
}
