import { systemActor } from '../../common/auth/actor';
import { Injectable, Logger } from '@nestjs/common';
import { SectionsService } from '../../sections/sections.service';
import { writeRowOf } from '../article-input';
import { ArticleRepository, type ArticleWriteRow } from '../article.repository';
import { ArticleWriter } from '../article-writer.service';
import { ArticleStore } from '../article-store';
import type { Block } from '../body/blocks';
import { makeExcerpt, renderBody } from '../body/normalize';
import { DEMO_SECTIONS, demoArticles, SYNTHETIC } from './demo-content';

export interface SeedResult {
  sections: number;
  articles: number;
  synthetic: number;
}

const SYNTHETIC_BATCH = 500;
const SYNTHETIC_PARALLEL = 2;
const DAY = 24 * 60 * 60 * 1000;

/**
 * The demo newsroom (`npm start` on an empty database, `cms seed-demo`) and, on request,
 * synthetic articles for benchmarks. Running it again adds only what is missing.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly sections: SectionsService,
    private readonly articles: ArticleRepository,
    private readonly store: ArticleStore,
    private readonly writer: ArticleWriter,
  ) {}

  /** Loads the demo when the database has no article at all; true when it did. */
  async seedIfEmpty(): Promise<boolean> {
    if (await this.articles.hasAny()) return false;
    const result = await this.seed();
    this.logger.log(`demo content loaded: ${result.sections} sections, ${result.articles} articles`);
    return true;
  }

  /** The demo sections and articles; with `articles` above the demo set, synthetic ones up to that total. */
  async seed(options: { articles?: number } = {}): Promise<SeedResult> {
    const sections = await this.ensureSections();
    const demo = demoArticles();
    const existing = new Set((await this.articles.countExternalIdsWithPrefix('demo:')).externalIds);
    const missing = demo.filter((a) => !existing.has(a.externalId));
    if (missing.length) await this.writer.createMany(missing, systemActor('demo'));
    let synthetic = 0;
    const wanted = (options.articles ?? 0) - demo.length;
    if (wanted > 0) {
      const have = (await this.articles.countExternalIdsWithPrefix('synthetic:')).count;
      synthetic = await this.synthesize(have, wanted - have);
    }
    return { sections, articles: missing.length, synthetic };
  }

  private async ensureSections(): Promise<number> {
    let created = 0;
    for (const s of DEMO_SECTIONS) {
      const tree = await this.sections.tree();
      if (tree.find({ slug: s.slug })) continue;
      await this.sections.create(
        {
          slug: s.slug,
          name: s.name,
          description: s.description,
          parent: s.parent,
        },
        systemActor('demo content'),
      );
      created++;
    }
    return created;
  }

  /** `count` synthetic articles (numbered from `from`), ~3 KB of body each, in multi-row batches. */
  private async synthesize(from: number, count: number): Promise<number> {
    if (count <= 0) return 0;
    const tree = await this.sections.tree();
    const { STORIES, PLACES, REPORTERS, SOURCES } = SYNTHETIC;
    // Paragraph pools rendered once: generating 100k bodies must not run the sanitiser 100k times.
    const pool = STORIES.flatMap((story) =>
      PLACES.map((place) => ({ story, place, paragraphs: story.paragraphs(place) })),
    );
    const tagIds = await this.store.transaction((m) =>
      this.store.ensureTags(
        m,
        [...new Set(STORIES.flatMap((s) => s.tags))].map((slug) => ({ slug, name: slug })),
      ),
    );
    const html = new Map<string, { html: string; text: string }>();
    const rendered = (t: string) => {
      let r = html.get(t);
      if (!r) {
        const body = renderBody([{ type: 'paragraph', text: t }]);
        r = { html: body.bodyHtml.slice(3, -4), text: body.bodyText };
        html.set(t, r);
      }
      return r;
    };
    const paragraphHtml = (t: string) => rendered(t).html;
    const paragraphText = (t: string) => rendered(t).text;
    const now = Date.now();
    let done = 0;
    // Two batches in flight: computing the search vectors is the database's main cost.
    const inFlight = new Set<Promise<unknown>>();
    while (done < count) {
      const size = Math.min(SYNTHETIC_BATCH, count - done);
      const rows: (ArticleWriteRow & { tagId: string | null })[] = [];
      for (let k = 0; k < size; k++) {
        const n = from + done + k + 1;
        const a = pool[n % pool.length];
        const b = pool[(n * 7 + 3) % pool.length];
        const c = pool[(n * 13 + 5) % pool.length];
        const d = pool[(n * 17 + 11) % pool.length];
        const e = pool[(n * 19 + 2) % pool.length];
        // About 3 KB of text, like a real news story.
        const f = pool[(n * 23 + 7) % pool.length];
        const texts = [a, b, c, d, e, f].flatMap((x) => x.paragraphs).slice(0, 20);
        const blocks: Block[] = texts.map((text) => ({ type: 'paragraph', text }));
        const rendered = {
          bodyHtml: texts.map((t) => `<p>${paragraphHtml(t)}</p>`).join('\n'),
          bodyText: texts.map((t) => paragraphText(t)).join('\n\n'),
        };
        const title = `${a.story.title(a.place)} (${n})`;
        const sectionSlug = a.story.section(a.place);
        const publishedAt = new Date(now - (n % (90 * 24)) * (DAY / 24) - (n % 3600) * 1000);
        const slug = `synthetic-${n}`;
        const row = writeRowOf(
          {
            slug,
            externalId: `synthetic:${n}`,
            title,
            subtitle: a.story.subtitle(a.place),
            dateline: a.place.dateline,
            byline: `By ${REPORTERS[n % REPORTERS.length]}`,
            source: SOURCES[n % SOURCES.length],
            excerpt: makeExcerpt(blocks),
            body: blocks,
            section: sectionSlug,
            sections: [],
            tags: [],
            heroImage: null,
            status: 'published',
            publishedAt: publishedAt.toISOString(),
            relatedArticles: [],
          },
          rendered,
          tree.find({ slug: sectionSlug })?.id ?? null,
          publishedAt,
        );
        const tag = a.story.tags[n % a.story.tags.length];
        rows.push({ ...row, tagId: tagIds.get(tag) ?? null });
      }
      const write = this.writer.run((m) => this.store.insertGenerated(m, rows));
      inFlight.add(write);
      void write.finally(() => inFlight.delete(write)).catch(() => undefined);
      if (inFlight.size >= SYNTHETIC_PARALLEL) await Promise.race(inFlight);
      done += size;
    }
    await Promise.all(inFlight);
    return done;
  }
}
