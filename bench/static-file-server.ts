/**
 * The renditions' baseline: a static file server, the least a server can do to answer a stored
 * image — node:http, the file streamed from disk with its type and a year of caching. It serves
 * STATIC_DIR; the rendition scenarios write there the renditions they read from Dateline.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { basename, extname, join } from 'node:path';

const dir = process.env.STATIC_DIR ?? '.';
const port = Number(process.env.PORT ?? 0);
const TYPES: Record<string, string> = { '.avif': 'image/avif', '.webp': 'image/webp', '.jpg': 'image/jpeg' };

const server = createServer((req, res) => {
  const file = join(dir, basename(req.url ?? '/'));
  stat(file).then(
    (s) => {
      if (!s.isFile()) return void res.writeHead(404).end();
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': s.size,
        'cache-control': 'public, max-age=31536000, immutable',
      });
      createReadStream(file).pipe(res);
    },
    () => res.writeHead(404).end(),
  );
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
