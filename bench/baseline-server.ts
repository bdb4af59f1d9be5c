/**
 * The baseline: the least a server can do to answer "article by slug" — node:http, one pooled pg
 * connection per request, one indexed SELECT, JSON.stringify. Every read scenario is reported as a
 * ratio to this, measured in the same run on the same database.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const port = Number(process.env.PORT ?? 0);

const server = createServer((req, res) => {
  const m = /^\/articles\/([^/?]+)/.exec(req.url ?? '');
  if (!m) {
    res.writeHead(404).end();
    return;
  }
  pool
    .query({
      name: 'by-slug',
      text: 'SELECT * FROM articles WHERE slug = $1 AND deleted_at IS NULL',
      values: [m[1]],
    })
    .then((r) => {
      if (!r.rows[0]) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(r.rows[0]));
    })
    .catch(() => res.writeHead(500).end());
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
