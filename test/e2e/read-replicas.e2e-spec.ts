import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ReadRouting } from '../../src/database/read-routing';
import { anArticle, published } from '../support/article-factory';
import { TcpRelay } from '../support/tcp-relay';
import { startTestApp, unique, type TestApp } from '../support/test-app';
import { testDatabaseUrl, usingEmbeddedDatabase } from '../support/test-database';

/**
 * DATABASE_REPLICA_URLS: public reads go to a replica, editors' reads and writes to the primary.
 * The "replica" is the same test database reached as a second PostgreSQL role that may only
 * SELECT, so a write sent there would fail, and each connection says who it is.
 */
const skip = usingEmbeddedDatabase();
if (skip) console.log('Skipped the read-replica test: the embedded database has one session and one role.');
const describeReal = skip ? describe.skip : describe;

describeReal('Read replicas: public reads on the replica, editors on the primary', () => {
  let t: TestApp;
  let admin: Client;
  let role: string;
  let replicaConnections = 0;

  beforeAll(async () => {
    const url = testDatabaseUrl();
    role = `dateline_replica_${new URL(url).pathname.slice(1)}`.slice(0, 63);
    admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      `DO $$ BEGIN CREATE ROLE ${role} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    );
    const replicaUrl = new URL(url);
    replicaUrl.username = role;
    replicaUrl.password = '';
    // The app migrates the primary first; the replica role then gets read access to the tables.
    t = await startTestApp({ replicaUrls: [replicaUrl.toString()] });
    await admin.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);

    // Counts the connections taken from the replica pool.
    const driver = t.dateline.app.get(DataSource).driver as unknown as {
      obtainSlaveConnection: () => Promise<unknown>;
    };
    const obtain = driver.obtainSlaveConnection.bind(driver);
    driver.obtainSlaveConnection = () => {
      replicaConnections++;
      return obtain();
    };
  });
  afterAll(async () => {
    await t?.close();
    await admin.query(`DROP OWNED BY ${role}`).catch(() => undefined);
    await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await admin.end();
  });

  async function replicaReads(fn: () => Promise<void>): Promise<number> {
    const before = replicaConnections;
    await fn();
    return replicaConnections - before;
  }

  it('the replica connection is the second role; the primary is not', async () => {
    const routing = t.dateline.app.get(ReadRouting);
    expect(routing.replicated).toBe(true);
    const [onReplica] = await routing.forPublicRead().query(`SELECT current_user AS who`);
    const [onPrimary] = await routing.forRead(false).query(`SELECT current_user AS who`);
    expect(onReplica.who).toBe(role);
    expect(onPrimary.who).not.toBe(role);
  });

  it('anonymous REST and GraphQL lists are served by the replica; single articles fill the read cache from the primary', async () => {
    const tag = unique('replica');
    const a = await anArticle(t, published({ tags: [tag] }));
    // A lagging replica must never put a replaced version into the read cache.
    expect(
      await replicaReads(async () => {
        const res = await t.anonymous.get(`/api/v1/articles/${a.id}`);
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(a.id);
      }),
    ).toBe(0);
    expect(
      await replicaReads(async () => {
        const res = await t.anonymous.get(`/api/v1/articles?tag=${tag}`);
        expect(res.status).toBe(200);
        expect(res.body.data.map((x: { id: string }) => x.id)).toEqual([a.id]);
      }),
    ).toBeGreaterThan(0);
    expect(
      await replicaReads(async () => {
        const res = await t.anonymous.graphql(
          `query($tag: String) { articles(filter: { tag: $tag }) { edges { node { id title } } } }`,
          { tag },
        );
        expect(res.data.articles.edges.map((e: { node: unknown }) => e.node)).toEqual([
          { id: a.id, title: a.title },
        ]);
      }),
    ).toBeGreaterThan(0);
  });

  it("editors' reads and every write go to the primary (they read their own writes)", async () => {
    const tag = unique('primary');
    expect(
      await replicaReads(async () => {
        const a = await anArticle(t, published({ tags: [tag] }));
        const patched = await t.editor.patch(`/api/v1/articles/${a.id}`, { title: 'Edited on the primary' });
        expect(patched.status).toBe(200);
        const one = await t.editor.get(`/api/v1/articles/${a.id}`);
        expect(one.body.title).toBe('Edited on the primary');
        const list = await t.editor.get(`/api/v1/articles?tag=${tag}`);
        expect(list.body.data.map((x: { id: string }) => x.id)).toEqual([a.id]);
        const gql = await t.editor.graphql(`query($id: ID!) { article(id: $id) { title } }`, { id: a.id });
        expect(gql.data.article.title).toBe('Edited on the primary');
      }),
    ).toBe(0);
  });
});

describeReal('Read replicas: a replica that goes away', () => {
  it('does not take public reads down: the primary answers them', async () => {
    const relay = await TcpRelay.start(testDatabaseUrl());
    const t = await startTestApp({ replicaUrls: [relay.url], dbAcquireTimeoutMs: 1000 });
    try {
      const a = await anArticle(t, published());
      expect((await t.anonymous.get(`/api/v1/articles/${a.id}`)).status).toBe(200);
      relay.cut();
      const res = await t.anonymous.get(`/api/v1/articles?limit=5`);
      expect(res.status).toBe(200);
      const one = await t.anonymous.get(`/api/v1/articles/${a.slug}`);
      expect(one.status).toBe(200);
      expect(one.body.id).toBe(a.id);
    } finally {
      await t.close();
      await relay.close();
    }
  });
});
