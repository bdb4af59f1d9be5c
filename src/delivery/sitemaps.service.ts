import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { SitemapIndexStream, SitemapStream, streamToPromise } from 'sitemap';
import { ArticleReader } from '../articles/article-reader.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DeliveryCache, type DeliveryAnswer } from './delivery-cache';
import { DeliveryRepository, type SitemapRow } from './delivery.repository';

/** Where the sitemaps are served (the API's prefix): the site passes these paths through to Dateline. */
export const SITEMAPS_PATH = '/api/v1/sitemaps';
/** Google News takes the stories of the last two days, at most 1,000 of them per sitemap. */
export const NEWS_WINDOW_MS = 48 * 3600 * 1000;
export const NEWS_MAX_URLS = 1_000;

const XML = 'application/xml; charset=utf-8';
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';
const MONTH_FILE = /^articles-(\d{4})-(\d{2})(?:-(\d+))?\.xml$/;

/** What a sitemap file name asks for. */
export type SitemapFile =
  { kind: 'index' } | { kind: 'news' } | { kind: 'month'; year: number; month: number; part: number };

export function parseSitemapFile(name: string): SitemapFile | null {
  if (name === 'index.xml') return { kind: 'index' };
  if (name === 'news.xml') return { kind: 'news' };
  const m = MONTH_FILE.exec(name);
  if (!m) return null;
  const [year, month, part] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  if (month < 1 || month > 12 || part < 1 || m[3] === '1' || /^0/.test(m[3] ?? '')) return null;
  return { kind: 'month', year, month, part };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The sitemap index, one sitemap per month of public stories (split in parts of at most
 * sitemapMaxUrls) and the Google News sitemap of the last 48 hours, written by the `sitemap`
 * library and cached like the feeds.
 */
@Injectable()
export class SitemapsService {
  constructor(
    private readonly reader: ArticleReader,
    private readonly repo: DeliveryRepository,
    private readonly cache: DeliveryCache,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  sitemap(file: SitemapFile): Promise<DeliveryAnswer> {
    const key =
      file.kind === 'month' ? `sitemap:${file.year}-${file.month}-${file.part}` : `sitemap:${file.kind}`;
    return this.cache.get(key, () => this.render(file));
  }

  private async render(file: SitemapFile): Promise<DeliveryAnswer> {
    switch (file.kind) {
      case 'index':
        return this.index();
      case 'news':
        return this.news();
      case 'month':
        return this.month(file.year, file.month, file.part);
    }
  }

  private fileUrl(name: string): string {
    return `${this.config.site.url}${SITEMAPS_PATH}/${name}`;
  }

  private async index(): Promise<DeliveryAnswer> {
    const max = this.config.site.sitemapMaxUrls;
    const entries: { url: string; lastmod?: string }[] = [{ url: this.fileUrl('news.xml') }];
    for (const m of await this.repo.months()) {
      const parts = Math.ceil(m.count / max);
      for (let part = 1; part <= parts; part++) {
        const name = `articles-${m.month}${part > 1 ? `-${part}` : ''}.xml`;
        entries.push({ url: this.fileUrl(name), lastmod: m.lastmod.toISOString() });
      }
    }
    return { contentType: XML, body: await write(new SitemapIndexStream(), entries), keys: ['articles'] };
  }

  private async month(year: number, month: number, part: number): Promise<DeliveryAnswer> {
    const max = this.config.site.sitemapMaxUrls;
    const from = new Date(Date.UTC(year, month - 1, 1));
    const to = new Date(Date.UTC(year, month, 1));
    const rows = await this.repo.publishedBetween(from, to, max, (part - 1) * max);
    if (!rows.length) throw new DomainError('NOT_FOUND', `No public stories in ${year}-${pad(month)}.`);
    const urls = await this.urls(rows);
    const entries = rows.map((r, i) => ({ url: urls[i], lastmod: r.updatedAt.toISOString() }));
    return {
      contentType: XML,
      body: await write(
        new SitemapStream({ xmlns: { news: false, image: false, video: false, xhtml: false } }),
        entries,
      ),
      keys: ['articles', ...rows.map((r) => `article:${r.id}`)],
    };
  }

  private async news(): Promise<DeliveryAnswer> {
    const { name, defaultLocale } = this.config.site;
    const now = this.clock.now();
    const rows = await this.repo.publishedSince(new Date(now - NEWS_WINDOW_MS), new Date(now), NEWS_MAX_URLS);
    const urls = await this.urls(rows);
    const entries = rows.map((r, i) => ({
      url: urls[i],
      news: {
        publication: { name, language: defaultLocale },
        publication_date: r.publishedAt.toISOString(),
        title: r.title,
      },
    }));
    // No story in the last two days: an empty list (the sitemap library refuses to write one).
    const body = entries.length
      ? await write(
          new SitemapStream({ xmlns: { news: true, image: false, video: false, xhtml: false } }),
          entries,
        )
      : `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}"></urlset>`;
    return { contentType: XML, body, keys: ['articles', ...rows.map((r) => `article:${r.id}`)] };
  }

  private async urls(rows: SitemapRow[]): Promise<string[]> {
    const tree = await this.reader.tree();
    return rows.map((r) => this.reader.urlOf(tree, { ...r, publishedAt: r.publishedAt.toISOString() }));
  }
}

async function write(stream: SitemapStream | SitemapIndexStream, entries: object[]): Promise<string> {
  return (await streamToPromise(Readable.from(entries).pipe(stream))).toString('utf8');
}
