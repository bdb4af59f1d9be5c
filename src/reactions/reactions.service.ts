import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { createHash } from 'node:crypto';
import { EventEmitter, on } from 'node:events';
import { ArticleReader } from '../articles/article-reader.service';
import type { ReactionCount } from '../articles/article.model';
import { ClusterBus } from '../common/cluster/cluster-bus';
import { DomainError } from '../common/errors/domain-error';
import type { IdOrSlug } from '../common/http/id-or-slug.pipe';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ReactionBatcher } from './reaction-batcher';
import { ReactionRepository } from './reaction.repository';

export const CLIENT_ID_MAX = 128;
const CHANNEL = 'reactions.changed';
/** How long a looked-up article id is reused, and how many are kept. */
const KNOWN_IDS_MS = 2000;
const KNOWN_IDS_MAX = 10_000;

/** sha256 of a client id: the raw id is never stored. */
export function clientHash(clientId: string): Buffer {
  return createHash('sha256').update(clientId, 'utf8').digest();
}

/** Refuses a client id longer than 128 characters (or empty). */
export function checkClientId(clientId: string | null | undefined, path = 'clientId'): void {
  if (clientId === undefined || clientId === null) return;
  if (clientId.length === 0 || clientId.length > CLIENT_ID_MAX) {
    throw DomainError.validation([{ path, message: `must be 1 to ${CLIENT_ID_MAX} characters` }]);
  }
}

/**
 * Reactions: counting rules, durability (answers only after commit) and live counts. Every
 * committed change is published on the ClusterBus ('reactions.changed'), which reaches every
 * instance; subscriptions and caches listen there.
 */
@Injectable()
export class ReactionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ReactionsService.name);
  private readonly batcher: ReactionBatcher;
  /** Bus messages again, by article id: what subscriptions iterate over. */
  private readonly feed = new EventEmitter();
  private unsubscribe?: () => void;
  private readonly knownIds = new Map<string, { id: string; until: number }>();

  constructor(
    private readonly repository: ReactionRepository,
    private readonly articles: ArticleReader,
    private readonly bus: ClusterBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.feed.setMaxListeners(0);
    this.batcher = new ReactionBatcher(
      (id, type, anonymous, hashes) => this.repository.add(id, type, anonymous, hashes),
      (articleId, type, count) => this.publish({ articleId, type, count }),
    );
  }

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe(CHANNEL, (message) => {
      const change = message as ReactionCount;
      if (change && typeof change.articleId === 'string') this.feed.emit(change.articleId, change);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.feed.removeAllListeners();
  }

  /**
   * The id of a public article, or ARTICLE_NOT_FOUND. Found ids are remembered for a moment, so a
   * hot article's reactions do not each look it up: the reaction statement itself checks again
   * that the article is public, and views of an article unpublished within that moment count.
   */
  async publicArticleId(key: string | IdOrSlug): Promise<string> {
    const cacheKey = typeof key === 'string' ? key : 'id' in key ? key.id : key.slug;
    const known = this.knownIds.get(cacheKey);
    if (known && known.until > this.clock.now()) return known.id;
    const id = await this.articles.findPublicId(key);
    if (!id) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    if (this.knownIds.size >= KNOWN_IDS_MAX) this.knownIds.clear();
    this.knownIds.set(cacheKey, { id, until: this.clock.now() + KNOWN_IDS_MS });
    return id;
  }

  async list(
    key: string | IdOrSlug,
  ): Promise<{ articleId: string; reactions: { type: string; count: number }[] }> {
    const articleId = await this.publicArticleId(key);
    const counts = await this.repository.counts(articleId);
    return {
      articleId,
      reactions: this.config.reactionTypes.map((type) => ({ type, count: counts.get(type) ?? 0 })),
    };
  }

  /** One reaction; resolves with the count after it, once committed. */
  async react(key: string | IdOrSlug, type: string, clientId?: string | null): Promise<ReactionCount> {
    this.checkType(type);
    checkClientId(clientId);
    const articleId = await this.publicArticleId(key);
    const count = await this.batcher.add(articleId, type, clientId ? clientHash(clientId) : null);
    return { articleId, type, count };
  }

  /** Withdraws a client's reaction; a repeat changes nothing and answers the current count. */
  async unreact(key: string | IdOrSlug, type: string, clientId: string): Promise<ReactionCount> {
    this.checkType(type);
    checkClientId(clientId);
    const articleId = await this.publicArticleId(key);
    const { count, withdrawn } = await this.repository.withdraw(articleId, type, clientHash(clientId));
    if (withdrawn) this.publish({ articleId, type, count });
    return { articleId, type, count };
  }

  /** The counts of one public article as they change, from every instance. */
  async changes(key: string | IdOrSlug): Promise<AsyncIterableIterator<[ReactionCount]>> {
    const articleId = await this.publicArticleId(key);
    return on(this.feed, articleId) as AsyncIterableIterator<[ReactionCount]>;
  }

  private publish(change: ReactionCount): void {
    this.bus.publish(CHANNEL, change).catch((err: Error) => {
      this.logger.warn(`could not publish a reaction count: ${err.message}`);
    });
  }

  private checkType(type: string): void {
    if (!this.config.reactionTypes.includes(type)) {
      throw new DomainError(
        'UNKNOWN_REACTION_TYPE',
        `Unknown reaction type; the types are: ${this.config.reactionTypes.join(', ')}.`,
        [{ path: 'type', message: `must be one of ${this.config.reactionTypes.join(', ')}` }],
      );
    }
  }
}
