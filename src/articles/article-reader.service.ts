import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_PAGE_SIZE } from '../common/graphql/limits';
import type { PageWindow } from '../common/pagination/connection';
import { decodeCursor, encodeCursor, type KeysetPosition } from '../common/pagination/cursor';
import { parseIdOrSlug, type IdOrSlug } from '../common/http/id-or-slug.pipe';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { SectionRef } from '../sections/section.model';
import type { SectionTree } from '../sections/section-tree';
import { SectionsService } from '../sections/sections.service';
import { ArticleRepository, type ArticleRow, type ListFilter, type RevisionRow } from './article.repository';
import type {
  Article,
  ArticleList,
  ArticleSummary,
  HeroImage,
  ReactionCount,
  Revision,
  Tag,
} from './article.model';
import type { ArticleFilter } from './dto/list-articles.args';
import { normalizeHeroImage, type ArticleSnapshot, type HeroImageValue } from './article-input';
import { ArticleCache, type ArticleEntry } from '../read-cache/article-cache';
import { absoluteUrl, articleUrl } from '../delivery/article-url';
import { newsArticleJsonLd } from '../delivery/json-ld';
import { defaultRenditionUrl, defaultRenditionWidth, type RenditionSource } from '../media/renditions';

/** Who is reading: the public sees public articles only; editors see every status but the trash. */
export interface Viewer {
  editor: boolean;
}

/** The scalar part of an article: what GraphQL field resolvers start from. */
export type ArticleRecord = Omit<
  Article,
  | 'url'
  | 'section'
  | 'breadcrumb'
  | 'sections'
  | 'tags'
  | 'reactions'
  | 'relatedArticles'
  | 'body'
  | 'bodyHtml'
  | 'bodyText'
  | 'jsonLd'
> &
  Partial<Pick<Article, 'body' | 'bodyHtml' | 'bodyText'>> & { sectionId: string | null };

/**
 * What an article's public answer depends on besides the article itself: every article it pins,
 * public or not (a pinned draft that is published must show at once), and when the first pin
 * scheduled for later becomes public, which nothing announces.
 */
export interface Pins {
  ids: string[];
  /** Epoch milliseconds; Infinity when no pin is scheduled for later. */
  nextPublicAtMs: number;
}

export interface Page<T> {
  items: { cursor: string; node: T }[];
  startCursor: string | null;
  endCursor: string | null;
  /**
   * Whether items follow the page / precede it in the list. The side the page was read toward is
   * known from its own query; the other side (past a cursor given) is asked of the database only
   * when called.
   */
  hasNextPage: () => Promise<boolean>;
  hasPreviousPage: () => Promise<boolean>;
}

const known = (value: boolean) => () => Promise.resolve(value);

/** A stored revision as both transports show it: the snapshot's input fields, field by field. */
function toRevision(row: RevisionRow): Revision {
  const snap = row.snapshot as Partial<ArticleSnapshot>;
  return {
    id: row.id,
    articleId: row.articleId,
    createdAt: row.createdAt.toISOString(),
    author: row.author,
    slug: snap.slug ?? '',
    externalId: snap.externalId ?? null,
    title: snap.title ?? '',
    subtitle: snap.subtitle ?? null,
    dateline: snap.dateline ?? null,
    byline: snap.byline ?? null,
    source: snap.source ?? null,
    excerpt: snap.excerpt ?? null,
    body: snap.body ?? [],
    section: snap.section ?? null,
    sections: snap.sections ?? [],
    tags: snap.tags ?? [],
    heroImage: normalizeHeroImage(snap.heroImage) as Revision['heroImage'],
    status: snap.status ?? 'draft',
    publishedAt: snap.publishedAt ?? null,
    relatedArticles: snap.relatedArticles ?? [],
  };
}

/** A hero image as the article query reads it: a library picture's current fields in `source`. */
type StoredHeroImage = HeroImageValue & { source?: (RenditionSource & MediaText) | null };
interface MediaText {
  alt: string;
  caption: string | null;
  credit: string | null;
}

/**
 * The hero image readers get. One from the media library takes its URL (the default rendition,
 * which changes when the picture or its focal point does), size and, where the article leaves
 * them empty, alt, caption and credit from the library; it is gone when the media is.
 */
export function heroImageOf(h: StoredHeroImage | null, mediaWidths: number[]): HeroImage | null {
  if (!h) return null;
  if (!h.media) return { ...(normalizeHeroImage(h) as HeroImage), media: null };
  const m = h.source;
  if (!m) return null;
  const width = Math.min(defaultRenditionWidth(m, mediaWidths), m.width);
  return {
    url: defaultRenditionUrl(m, mediaWidths),
    alt: h.alt ?? (m.alt || null),
    caption: h.caption ?? m.caption,
    credit: h.credit ?? m.credit,
    width,
    height: Math.round((m.height * width) / m.width),
    media: m.id,
  };
}

export function toRecord(row: ArticleRow, mediaWidths: number[]): ArticleRecord {
  return {
    id: row.id,
    slug: row.slug,
    externalId: row.externalId,
    title: row.title,
    subtitle: row.subtitle,
    dateline: row.dateline,
    byline: row.byline,
    source: row.source,
    excerpt: row.excerpt,
    heroImage: heroImageOf(row.heroImage, mediaWidths),
    status: row.status,
    publishedAt: row.publishedAt ? row.publishedAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    viewCount: Number(row.viewCount),
    version: row.version,
    sectionId: row.sectionId,
    ...(row.body !== undefined ? { body: row.body, bodyHtml: row.bodyHtml, bodyText: row.bodyText } : {}),
  };
}

/** Reads of articles for both transports, and for the features that show articles. */
@Injectable()
export class ArticleReader {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly sections: SectionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    readonly cache: ArticleCache,
  ) {}

  /**
   * A public article through the read cache: filled from the database on a miss, null when the
   * public may not see it (never cached: drafts, scheduled ones not yet due, the trash).
   */
  publicEntry(key: IdOrSlug): Promise<ArticleEntry | null> {
    const hit = this.cache.get(key);
    if (hit) {
      // Read again ahead of its time to live, in the background: no reader waits for it.
      if (this.cache.dueForRefresh(hit)) this.fillEntry(key).catch(() => undefined);
      return Promise.resolve(hit);
    }
    return this.fillEntry(key);
  }

  private fillEntry(key: IdOrSlug): Promise<ArticleEntry | null> {
    return this.cache.fill(key, async (since) => {
      // From the primary: a lagging replica could put an already replaced version in the cache,
      // which would then outlive the invalidation that should have removed it.
      const row = await this.articles.findOne(key, { publicOnly: true, fromPrimary: true });
      const record = row ? toRecord(row, this.config.media.widths) : null;
      if (!record) return null;
      const [[article], pins] = await Promise.all([
        this.hydrate([record], { editor: false }),
        this.pins(record.id),
      ]);
      return this.cache.store(since, article as Article, pins);
    });
  }

  /** What answers showing this article's pins depend on (see Pins). */
  async pins(articleId: string): Promise<Pins> {
    const rows = await this.articles.pinsOf(articleId);
    return {
      ids: rows.map((r) => r.id),
      nextPublicAtMs: Math.min(...rows.map((r) => r.publicAt?.getTime() ?? Number.POSITIVE_INFINITY)),
    };
  }

  async findRecord(key: IdOrSlug, viewer: Viewer): Promise<ArticleRecord | null> {
    const row = await this.articles.findOne(key, { publicOnly: !viewer.editor });
    return row ? toRecord(row, this.config.media.widths) : null;
  }

  /**
   * The public's whole article through the cache (GraphQL's article query), or null. The cache
   * knows what an answer showing it depends on (ArticleCache.dependenciesOf).
   */
  async publicArticle(key: IdOrSlug): Promise<Article | null> {
    const entry = await this.publicEntry(key);
    return entry ? this.cache.article(entry) : null;
  }

  /** One whole article (REST). */
  async get(key: IdOrSlug, viewer: Viewer): Promise<Article> {
    if (!viewer.editor) {
      const entry = await this.publicEntry(key);
      if (!entry) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
      return this.cache.article(entry);
    }
    const record = await this.findRecord(key, viewer);
    if (!record) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    const [article] = await this.hydrate([record], viewer);
    return article as Article;
  }

  /** The id of a public article, or null: for features that act on public articles only. */
  async findPublicId(idOrSlug: string | IdOrSlug): Promise<string | null> {
    const key = typeof idOrSlug === 'string' ? parseIdOrSlug(idOrSlug) : idOrSlug;
    return this.articles.findPublicId(key);
  }

  /**
   * Summaries by id in one query (plus the fixed hydration queries), in the order of the ids given;
   * the public gets public ones only, editors every article outside the trash.
   */
  async summariesByIds(ids: string[], viewer: Viewer): Promise<ArticleSummary[]> {
    return this.hydrate(await this.recordsByIds(ids, viewer, false), viewer);
  }

  /** Records by id (GraphQL parents; with the body when asked), in the order of the ids given. */
  async recordsByIds(ids: string[], viewer: Viewer, withBody = true): Promise<ArticleRecord[]> {
    const rows = await this.articles.findByIds([...new Set(ids)], { publicOnly: !viewer.editor, withBody });
    const byId = new Map(rows.map((r) => [r.id, toRecord(r, this.config.media.widths)]));
    return ids.map((id) => byId.get(id)).filter((r): r is ArticleRecord => !!r);
  }

  async list(
    query: ArticleFilter & { limit?: number; cursor?: string },
    viewer: Viewer,
  ): Promise<ArticleList> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.page(
      query,
      { size: limit, backward: false, after: query.cursor || undefined },
      viewer,
      false,
      { after: 'cursor', before: 'cursor' },
    );
    return {
      data: await this.hydrate(
        page.items.map((i) => i.node),
        viewer,
      ),
      page: { nextCursor: (await page.hasNextPage()) ? page.endCursor : null, limit },
    };
  }

  /**
   * A page of records with their cursors, by keyset (GraphQL connections, REST lists): forward
   * from `after`, or backward from `before` (or from the end of the list).
   */
  async page(
    filter: ArticleFilter,
    window: PageWindow,
    viewer: Viewer,
    withBody: boolean,
    cursorPaths = { after: 'after', before: 'before' },
  ): Promise<Page<ArticleRecord>> {
    const f = await this.listFilter(filter, viewer, window.size, withBody);
    // Cursors are checked even when the list is known to be empty (an unknown section).
    const kind = filter.q?.trim() ? 'q' : 't';
    const after = window.after ? decodeCursor(window.after, kind, cursorPaths.after) : undefined;
    const before = window.before ? decodeCursor(window.before, kind, cursorPaths.before) : undefined;
    if (!f)
      return {
        items: [],
        startCursor: null,
        endCursor: null,
        hasNextPage: known(false),
        hasPreviousPage: known(false),
      };
    f.after = after;
    f.before = before;
    f.backward = window.backward;
    const { rows, more } = await this.articles.list(f);
    const items = rows.map((r) => ({
      cursor: encodeCursor(kind, { key: r.sortKey as string, id: r.id }),
      node: toRecord(r, this.config.media.widths),
    }));
    // Past a cursor the list may go on (or the cursor's own row may still be there).
    const beyond = (position: KeysetPosition | undefined, side: 'before' | 'after') =>
      position ? () => this.articles.hasRowFrom(f, position, side) : known(false);
    const readToward = more ? known(true) : undefined;
    return {
      items,
      startCursor: items[0]?.cursor ?? null,
      endCursor: items.at(-1)?.cursor ?? null,
      hasNextPage: (!window.backward && readToward) || beyond(before, 'after'),
      hasPreviousPage: (window.backward && readToward) || beyond(after, 'before'),
    };
  }

  async count(filter: ArticleFilter, viewer: Viewer): Promise<number> {
    const f = await this.listFilter(filter, viewer, 0, false);
    return f ? this.articles.count(f) : 0;
  }

  private async listFilter(
    filter: ArticleFilter,
    viewer: Viewer,
    limit: number,
    withBody: boolean,
  ): Promise<ListFilter | null> {
    if (filter.status && !viewer.editor && filter.status !== 'published')
      throw DomainError.validation([{ path: 'status', message: 'only editors may list articles by status' }]);
    const f: ListFilter = {
      publicOnly: !viewer.editor,
      tag: filter.tag,
      author: filter.author?.trim() || undefined,
      q: filter.q?.trim() || undefined,
      status: filter.status,
      limit,
      withBody,
    };
    if (filter.section) {
      const tree = await this.sections.tree();
      const section = tree.find({ slug: filter.section });
      if (!section) return null;
      f.sectionIds = tree.subtreeIds(section.id);
    }
    return f;
  }

  /** An article's revisions, newest first (the article outside the trash, any status). */
  async revisions(key: IdOrSlug): Promise<Revision[]> {
    const row = await this.articles.findOne(key, { publicOnly: false });
    if (!row) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    return (await this.revisionsOf([row.id]))[0];
  }

  /** The revisions of many articles in one query, each newest first (GraphQL's loader). */
  async revisionsOf(ids: readonly string[]): Promise<Revision[][]> {
    const rows = await this.articles.listRevisions([...new Set(ids)]);
    return ids.map((id) => rows.filter((r) => r.articleId === id).map(toRevision));
  }

  // ---- batch lookups: one query for many articles (REST hydration and GraphQL loaders) ----

  /** Bodies of records read without them (the records were already checked for the viewer). */
  async bodiesOf(ids: readonly string[]): Promise<Pick<Article, 'body' | 'bodyHtml' | 'bodyText'>[]> {
    const rows = await this.articles.bodiesFor([...new Set(ids)]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? { body: [], bodyHtml: '', bodyText: '' });
  }

  async tagsOf(ids: readonly string[]): Promise<Tag[][]> {
    const rows = await this.articles.tagsFor([...ids]);
    return ids.map((id) =>
      rows.filter((r) => r.articleId === id).map((r) => ({ slug: r.slug, name: r.name })),
    );
  }

  async sectionsOf(ids: readonly string[], tree?: SectionTree): Promise<SectionRef[][]> {
    const [rows, t] = await Promise.all([this.articles.sectionsFor([...ids]), tree ?? this.sections.tree()]);
    return ids.map((id) =>
      rows
        .filter((r) => r.articleId === id)
        .map((r) => t.ref(r.sectionId))
        .filter((s): s is SectionRef => !!s),
    );
  }

  async reactionsOf(ids: readonly string[]): Promise<ReactionCount[][]> {
    const rows = await this.articles.reactionsFor([...ids]);
    return ids.map((id) =>
      this.config.reactionTypes.map((type) => ({
        articleId: id,
        type,
        count: rows.find((r) => r.articleId === id && r.type === type)?.count ?? 0,
      })),
    );
  }

  /** Editor pins of many articles; the public sees the public ones only. */
  async relatedOf(ids: readonly string[], viewer: Viewer): Promise<ArticleRecord[][]> {
    const links = await this.articles.relatedFor([...ids]);
    // Without bodies: REST shows related articles as summaries, GraphQL loads a body when asked.
    const rows = await this.articles.findByIds([...new Set(links.map((l) => l.relatedId))], {
      publicOnly: !viewer.editor,
    });
    const byId = new Map(rows.map((r) => [r.id, toRecord(r, this.config.media.widths)]));
    return ids.map((id) =>
      links
        .filter((l) => l.articleId === id)
        .map((l) => byId.get(l.relatedId))
        .filter((r): r is ArticleRecord => !!r),
    );
  }

  /** The article's public URL (the one place it is computed from the article's data). */
  urlOf(tree: SectionTree, r: Pick<ArticleRecord, 'id' | 'slug' | 'publishedAt' | 'sectionId'>): string {
    const sectionSlug = r.sectionId ? (tree.ref(r.sectionId)?.slug ?? null) : null;
    return articleUrl(this.config.site, { id: r.id, slug: r.slug, publishedAt: r.publishedAt, sectionSlug });
  }

  /** The article's schema.org NewsArticle (the one place it is made from the article's data). */
  jsonLdOf(tree: SectionTree, r: ArticleRecord, url = this.urlOf(tree, r)): Record<string, unknown> {
    return newsArticleJsonLd(this.config.site, {
      url,
      title: r.title,
      excerpt: r.excerpt,
      byline: r.byline,
      publishedAt: r.publishedAt,
      updatedAt: r.updatedAt,
      sectionName: r.sectionId ? (tree.ref(r.sectionId)?.name ?? null) : null,
      heroImageUrl: r.heroImage ? absoluteUrl(this.config.site, r.heroImage.url) : null,
    });
  }

  sectionRef(tree: SectionTree, sectionId: string | null): SectionRef | null {
    return sectionId ? tree.ref(sectionId) : null;
  }

  breadcrumb(tree: SectionTree, sectionId: string | null): SectionRef[] {
    return sectionId ? tree.breadcrumb(sectionId) : [];
  }

  tree(): Promise<SectionTree> {
    return this.sections.tree();
  }

  /** Whole answers for REST: a fixed number of queries for any number of articles. */
  async hydrate(records: ArticleRecord[], viewer: Viewer): Promise<(Article | ArticleSummary)[]> {
    const ids = records.map((r) => r.id);
    const withBody = records.some((r) => r.body !== undefined);
    const tree = await this.sections.tree();
    const [tags, sections, reactions, related] = await Promise.all([
      this.tagsOf(ids),
      this.sectionsOf(ids, tree),
      this.reactionsOf(ids),
      withBody ? this.relatedOf(ids, viewer) : Promise.resolve(ids.map(() => [])),
    ]);
    const relatedSummaries = withBody
      ? await this.hydrate(
          related.flat().map((r) => {
            const { body: _b, bodyHtml: _h, bodyText: _t, ...summary } = r;
            return summary;
          }),
          viewer,
        )
      : [];
    const summaryById = new Map(relatedSummaries.map((s) => [s.id, s]));
    return records.map((r, i) => {
      const { sectionId, body, bodyHtml, bodyText, ...rest } = r;
      const summary: ArticleSummary = {
        ...rest,
        url: this.urlOf(tree, r),
        section: this.sectionRef(tree, sectionId),
        breadcrumb: this.breadcrumb(tree, sectionId),
        sections: sections[i],
        tags: tags[i],
        reactions: reactions[i],
      };
      if (body === undefined) return summary;
      return {
        ...summary,
        body,
        bodyHtml: bodyHtml as string,
        bodyText: bodyText as string,
        jsonLd: this.jsonLdOf(tree, r, summary.url),
        relatedArticles: related[i].map((x) => summaryById.get(x.id)).filter((s): s is ArticleSummary => !!s),
      } satisfies Article;
    });
  }
}
