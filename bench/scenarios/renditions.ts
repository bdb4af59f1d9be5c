import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { load } from '../load';
import { startProcess, waitFor } from '../processes';
import { rotate, type BenchContext, type Measurement, type Scenario } from '../scenario';

/** Pictures uploaded per server; each gives WIDTHS × FORMATS × RATIOS renditions nobody asked for. */
const IMAGES = Number(process.env.BENCH_MEDIA_IMAGES ?? 24);
const WIDTHS = [320, 640, 960, 1280, 1920];
const FORMATS = ['AVIF', 'WEBP', 'JPEG'] as const;
const RATIOS = [null, '1:1', '4:3', '16:9', '3:2'] as const;
/** First requests per measured round (and one per connection to warm up): each a rendition never made. */
const FIRST_PER_ROUND = Number(process.env.BENCH_RENDITIONS_PER_ROUND ?? 240);
/** The renditions the cached scenario and the static baseline rotate over. */
const CACHED = 30;

interface Prepared {
  /** Rendition paths never requested, in an order that mixes formats, widths and ratios. */
  fresh: string[];
  taken: number;
  /** Rendition paths already made, and the same bytes under a file name the static server knows. */
  cached: { path: string; file: string }[];
}
const prepared = new Map<string, Promise<Prepared>>();

/** A photo-like 2400 × 1600 JPEG: smooth colour with grain, different for each seed. */
async function picture(seed: number): Promise<Buffer> {
  const background = { r: (seed * 67) % 256, g: (seed * 131) % 256, b: (seed * 29) % 256 };
  const grain = await sharp({
    create: {
      width: 2400,
      height: 1600,
      channels: 3,
      background,
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .blur(3)
    .raw()
    .toBuffer();
  return sharp(grain, { raw: { width: 2400, height: 1600, channels: 3 } })
    .composite([
      { input: { create: { width: 800, height: 500, channels: 3, background } }, left: 200 + seed, top: 300 },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function upload(ctx: BenchContext, seed: number): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([await picture(seed)], { type: 'image/jpeg' }), `bench-${seed}.jpg`);
  form.set('alt', `Bench picture ${seed}`);
  form.set('focalPoint', '0.3,0.4');
  const res = await fetch(`${ctx.appUrl}/api/v1/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.editorKey}` },
    body: form,
  });
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Every rendition path of one picture, from GraphQL's Media.src (15 aliases a query, the limit). */
async function renditionPaths(ctx: BenchContext, id: string): Promise<string[]> {
  const fields: string[] = [];
  for (const w of WIDTHS)
    for (const f of FORMATS)
      for (const r of RATIOS) fields.push(`src(width: ${w}, format: ${f}${r ? `, ratio: "${r}"` : ''})`);
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i += 15) {
    const selection = fields.slice(i, i + 15).map((f, j) => `r${j}: ${f}`);
    const res = await fetch(`${ctx.appUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ media(id: "${id}") { ${selection.join(' ')} } }` }),
    });
    const body = (await res.json()) as { data?: { media: Record<string, string> }; errors?: unknown };
    if (!body.data?.media) throw new Error(`Media.src: ${JSON.stringify(body.errors)}`);
    paths.push(...Object.values(body.data.media).map((u) => new URL(u, ctx.appUrl).pathname));
  }
  return paths;
}

async function prepareFor(ctx: BenchContext): Promise<Prepared> {
  const perPicture: string[][] = [];
  for (let seed = 1; seed <= IMAGES; seed++)
    perPicture.push(await renditionPaths(ctx, await upload(ctx, seed)));
  // Interleaved: one picture's rendition after another's, each picture's list rotated by its
  // index, so every stretch of the list mixes formats, widths and ratios.
  const fresh: string[] = [];
  const width = perPicture[0].length;
  for (let i = 0; i < width; i++) perPicture.forEach((paths, p) => fresh.push(paths[(i + p * 7) % width]));
  const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-static-'));
  const cached: Prepared['cached'] = [];
  for (const path of fresh.splice(0, CACHED)) {
    const res = await fetch(`${ctx.appUrl}${path}`);
    if (res.status !== 200) throw new Error(`rendition ${path}: ${res.status}`);
    const file = `${cached.length}${path.slice(path.lastIndexOf('.'))}`;
    writeFileSync(join(dir, file), Buffer.from(await res.arrayBuffer()));
    cached.push({ path, file });
  }
  staticDir ??= dir;
  return { fresh, taken: 0, cached };
}

function prepare(ctx: BenchContext): Promise<Prepared> {
  let p = prepared.get(ctx.appUrl);
  if (!p) prepared.set(ctx.appUrl, (p = prepareFor(ctx)));
  return p;
}

/** The static server serves the first prepared server's renditions (the same files for every side). */
let staticDir: string | undefined;
let staticServer: Promise<string> | undefined;
function staticUrl(): Promise<string> {
  staticServer ??= (async () => {
    if (!staticDir) throw new Error('no rendition was prepared for the static server');
    const server = await startProcess(resolve(__dirname, '../static-file-server.js'), {
      STATIC_DIR: staticDir,
    });
    process.once('exit', () => server.child.kill('SIGTERM'));
    await waitFor(server.url);
    return server.url;
  })();
  return staticServer;
}

async function firstRequests(ctx: BenchContext, count: number): Promise<Measurement> {
  const p = await prepare(ctx);
  const paths = p.fresh.slice(p.taken, p.taken + count);
  if (paths.length < count)
    throw new Error(`the renditions nobody asked for are used up: raise BENCH_MEDIA_IMAGES (now ${IMAGES})`);
  p.taken += count;
  const next = rotate(paths);
  return load({
    url: ctx.appUrl,
    connections: ctx.connections,
    durationSeconds: ctx.durationSeconds,
    amount: count,
    next: () => ({ path: next() }),
  });
}

export const baselineStaticFile: Scenario = {
  name: 'baseline: static file',
  description: `node:http streaming a stored file from disk with its type and cache headers: the ${CACHED} renditions "rendition, cached" reads, copied to a directory (bench/static-file-server.ts).`,
  warmUp: async (ctx) => {
    await prepare(ctx);
    const url = await staticUrl();
    const next = rotate((await prepare(ctx)).cached);
    return load({
      url,
      connections: ctx.connections,
      durationSeconds: 3,
      next: () => ({ path: `/${next().file}` }),
    });
  },
  run: async (ctx) => {
    const url = await staticUrl();
    const next = rotate((await prepare(ctx)).cached);
    return load({
      url,
      connections: ctx.connections,
      durationSeconds: ctx.durationSeconds,
      next: () => ({ path: `/${next().file}` }),
    });
  },
};

export const renditionFirstRequest: Scenario = {
  name: 'rendition, first request',
  description: `GET /api/v1/media/{id}/renditions/… of renditions never asked for, each once: sharp decodes the ${IMAGES} uploaded 2400 × 1600 JPEGs, crops around the focal point, resizes and encodes (AVIF, WebP, JPEG mixed; 5 widths; 4 ratios and none), and stores the result; ${FIRST_PER_ROUND} per round.`,
  baseline: baselineStaticFile.name,
  warmUp: (ctx) => firstRequests(ctx, ctx.connections),
  run: (ctx) => firstRequests(ctx, FIRST_PER_ROUND),
};

export const renditionCached: Scenario = {
  name: 'rendition, cached',
  description: `GET of ${CACHED} renditions already made, rotating: read back from the media store (local disk) with a year of caching.`,
  baseline: baselineStaticFile.name,
  run: async (ctx) => {
    const next = rotate((await prepare(ctx)).cached);
    return load({
      url: ctx.appUrl,
      connections: ctx.connections,
      durationSeconds: ctx.durationSeconds,
      next: () => ({ path: next().path }),
    });
  },
};
