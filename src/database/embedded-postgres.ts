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
  static async start(dataDir: string, poolSize: number): Promise<EmbeddedPostgres> {
    let location = dataDir;
    if (!dataDir.startsWith('memory://')) {
      location = resolve(dataDir, 'pgdata');
      mkdirSync(location, { recursive: true });
    }
    const db = await PGlite.create(location);
    const server = new PGLiteSocketServer({
      db: keepExtendedQueriesTogether(db),
      host: '127.0.0.1',
      port: 0,
      // The pool, plus the start-up lock's own connection and one spare (the CLI, psql).
      maxConnections: poolSize + 2,
    });
    await server.start();
    const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
    return new EmbeddedPostgres(db, server, url);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}

/** Extended-protocol messages that belong to a batch ended by Sync: Parse, Bind, Describe, Execute, Close, Flush. */
const EXTENDED_BATCH = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const SYNC = 'S'.charCodeAt(0);

/**
 * pglite-socket queues each protocol message on its own, so with several connections a
 * parameterised query (Parse, Bind, Execute, Sync) from one could be split by another's, and the
 * session's one unnamed statement overwritten ("bind message supplies 1 parameters, but prepared
 * statement requires 2"). Its queue already keeps a connection's messages together while a
 * transaction is open; this makes it do the same until the batch's Sync.
 */
function keepExtendedQueriesTogether(db: PGlite): PGlite {
  let batchOpen = false;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'isInTransaction') return () => batchOpen || target.isInTransaction();
      if (prop === 'execProtocolRawStream') {
        return (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          const type = message[0];
          if (EXTENDED_BATCH.has(type)) batchOpen = true;
          else if (type === SYNC) batchOpen = false;
          return target.execProtocolRawStream(message, options);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
