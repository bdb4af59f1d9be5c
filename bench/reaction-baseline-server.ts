/**
 * The reactions baseline: the plain way to count — node:http, one pooled pg connection per
 * request, one `INSERT … ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count` (an UPDATE
 * of the one row once it exists), so every request of a hot article waits for the row lock held
 * by the one before it. POST /articles/{id}/reactions answers { count }.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const port = Number(process.env.PORT ?? 0);

const server = createServer((req, res) => {
  const m = /^\/articles\/([0-9a-f-]{36})\/reactions$/.exec(req.url ?? '');
  if (!m || req.method !== 'POST') {
    res.writeHead(404).end();
    return;
  }
  req.resume();
  pool
    .query({
      name: 'react',
      text: `INSERT INTO article_reactions (article_id, type, count) VALUES ($1, 'veryGood', 1)
             ON CONFLICT (article_id, type) DO UPDATE SET count = article_reactions.count + 1
             RETURNING count`,
      values: [m[1]],
    })
    .then((r) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ count: r.rows[0].count }));
    })
    .catch(() => res.writeHead(500).end());
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
