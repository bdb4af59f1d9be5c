import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded PostgreSQL: PGlite (PostgreSQL compiled to WebAssembly) served over the Postgres
 * wire protocol on loopback, so the same `pg`/TypeORM code runs against it. For trying Dateline
 * out and for tests on a machine without PostgreSQL; production points DATABASE_URL at a server.
 *
 * PGlite is one session: the socket server multiplexes connections onto it and keeps a
 * transaction on the connection that opened it, but queries run one at a time.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  /** dataDir `memory://` keeps everything in memory (used by throwaway test runs). */
  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    let location = dataDir;
    if (!dataDir.startsWith('memory://')) {
      location = resolve(dataDir, 'pgdata');
      mkdirSync(location, { recursive: true });
    }
    const db = await PGlite.create(location);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    await server.start();
    const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
    return new EmbeddedPostgres(db, server, url);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
