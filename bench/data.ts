import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DemoSeeder } from '../src/articles/demo/demo-seeder';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/config';

export interface BenchData {
  databaseUrl: string;
  adminKey: string;
  slugs: string[];
  sectionSlugs: string[];
  postgresVersion: string;
  drop(): Promise<void>;
}

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
export async function prepareDatabase(articles: number): Promise<BenchData> {
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
  const slugs = (
    (await db.query(`SELECT slug FROM articles WHERE deleted_at IS NULL AND status = 'published'`)).rows as {
      slug: string;
    }[]
  ).map((r) => r.slug);
  const sectionSlugs = ((await db.query(`SELECT slug FROM sections`)).rows as { slug: string }[]).map(
    (r) => r.slug,
  );
  await db.query('ANALYZE');
  await db.end();
  process.stdout.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  return {
    databaseUrl,
    adminKey: randomBytes(24).toString('hex'),
    slugs,
    sectionSlugs,
    postgresVersion,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
