import { Inject, Injectable } from '@nestjs/common';
import { Feed, type Item } from 'feed';
import { ArticleReader } from '../articles/article-reader.service';
import type { Article, ArticleSummary } from '../articles/article.model';
import { articleKeys } from '../articles/article-surrogate-keys';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { absoluteUrl } from './article-url';
import { DeliveryCache, type DeliveryAnswer } from './delivery-cache';
import { DeliveryRepository, type FeedSelection } from './delivery.repository';

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];
export const FEED_KINDS = ['section', 'tag', 'author'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

/** How many stories a feed carries: the newest ones. */
export const FEED_SIZE = 50;

const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
};

export interface FeedRequest {
  /** Absent: the latest stories of the whole site. */
  kind?: FeedKind;
  slug?: string;
  format: FeedFormat;
  full: boolean;
  locale?: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** The MIME type of a hero image, from its file name; JPEG when the name does not tell. */
function imageType(url: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? '';
  return IMAGE_TYPES[ext] ?? 'image/jpeg';
}

/**
 * JSON Feed 1.1 from the feed library's JSON Feed 1 (it writes version 1): the version, `authors`
 * in place of the deprecated `author`, and the feed's language.
 */
function jsonFeed11(json1: string, language: string): string {
  const feed = JSON.parse(json1) as Record<string, unknown> & { items: Record<string, unknown>[] };
  const upgrade = (o: Record<string, unknown>) => {
    if (o.author) o.authors = [o.author];
    delete o.author;
  };
  upgrade(feed);
  feed.items.forEach(upgrade);
  const { version: _one, ...rest } = feed;
  return JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', ...rest, language });
}

/** RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the newest public stories (the `feed` library writes them). */
@Injectable()
export class FeedsService {
  constructor(
    private readonly reader: ArticleReader,
    private readonly repo: DeliveryRepository,
    private readonly cache: DeliveryCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Only the default locale exists today; any other is refused, not silently ignored. */
  checkLocale(locale: string | undefined): string {
    const site = this.config.site;
    if (locale !== undefined && locale !== site.defaultLocale)
      throw DomainError.validation([{ path: 'locale', message: `must be ${site.defaultLocale}` }]);
    return site.defaultLocale;
  }

  feed(r: FeedRequest): Promise<DeliveryAnswer> {
    const locale = this.checkLocale(r.locale);
    const key = `feed:${r.kind ?? 'latest'}:${r.slug ?? ''}:${r.format}:${r.full}:${locale}`;
    return this.cache.get(key, () => this.render(r, locale));
  }

  private async render(r: FeedRequest, locale: string): Promise<DeliveryAnswer> {
    const site = this.config.site;
    const { selection, title, keys } = await this.select(r);
    const ids = await this.repo.latestIds(selection, FEED_SIZE);
    const viewer = { editor: false };
    const records = await this.reader.recordsByIds(ids, viewer, r.full);
    const stories = (await this.reader.hydrate(records, viewer)) as (ArticleSummary & Partial<Article>)[];
    if (r.kind === 'author' && !stories.length)
      throw new DomainError('NOT_FOUND', 'No stories by this author.');
    const name = r.kind === 'author' ? (stories[0].byline ?? r.slug) : title;
    const path = r.kind ? `/feeds/${r.kind}/${r.slug}` : '/feeds/latest';
    const newest = stories.reduce((max, a) => (a.updatedAt > max ? a.updatedAt : max), '');
    const feed = new Feed({
      id: `${site.url}${path}`,
      title: name ? `${site.name}: ${name}` : site.name,
      description: name
        ? `The latest stories of ${site.name}: ${name}`
        : `The latest stories of ${site.name}`,
      link: `${site.url}/`,
      language: locale,
      // The newest change shown, so the same stories give the same bytes (and ETag) everywhere.
      updated: new Date(newest || 0),
      generator: site.name,
      copyright: site.name,
    });
    for (const a of stories) feed.addItem(this.item(a, r.full));
    const body =
      r.format === 'rss'
        ? feed.rss2()
        : r.format === 'atom'
          ? feed.atom1()
          : jsonFeed11(feed.json1(), locale);
    return {
      contentType: CONTENT_TYPES[r.format],
      body,
      keys: ['articles', ...keys, ...stories.flatMap(articleKeys)],
    };
  }

  private item(a: ArticleSummary & Partial<Article>, full: boolean): Item {
    const summary = escapeHtml(a.excerpt ?? a.subtitle ?? a.title);
    // A library picture's URL is relative to the site; readers of a feed need it whole.
    const hero = a.heroImage ? absoluteUrl(this.config.site, a.heroImage.url) : null;
    return {
      id: `urn:uuid:${a.id}`,
      title: a.title,
      link: a.url,
      date: new Date(a.updatedAt),
      published: new Date(a.publishedAt as string),
      description: summary,
      ...(full && a.bodyHtml !== undefined ? { content: a.bodyHtml } : {}),
      ...(a.byline ? { author: [{ name: a.byline }] } : {}),
      category: [...(a.section ? [a.section] : []), ...a.tags].map((c) => ({ name: c.name, term: c.slug })),
      ...(hero ? { image: { url: hero, type: imageType(hero), length: 0 } } : {}),
    };
  }

  private async select(r: FeedRequest): Promise<{ selection: FeedSelection; title: string; keys: string[] }> {
    if (!r.kind || !r.slug) return { selection: {}, title: '', keys: [] };
    switch (r.kind) {
      case 'section': {
        const tree = await this.reader.tree();
        const section = tree.find({ slug: r.slug });
        if (!section) throw new DomainError('SECTION_NOT_FOUND', 'No such section.');
        return {
          selection: { sectionIds: tree.subtreeIds(section.id) },
          title: section.name,
          keys: [`section:${section.slug}`],
        };
      }
      case 'tag': {
        const name = await this.repo.tagName(r.slug);
        if (name === null) throw new DomainError('NOT_FOUND', 'No such tag.');
        return { selection: { tag: r.slug }, title: name, keys: [`tag:${r.slug}`] };
      }
      case 'author':
        return { selection: { bylineSlug: r.slug }, title: '', keys: [`author:${r.slug}`] };
    }
  }
}
