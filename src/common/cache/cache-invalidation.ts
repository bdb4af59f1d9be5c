import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ClusterBus } from '../cluster/cluster-bus';

/** What changed: articles by id, or anything shown with every article (sections, tags). */
export interface InvalidationMessage {
  articleIds?: string[];
  /** Section tree or tag names changed: every cached answer may show them. */
  all?: boolean;
}

export type InvalidationHandler = (message: InvalidationMessage) => void;

/** A reaction count after a commit, as the reactions feature publishes it. */
export interface ReactionsChanged {
  articleId: string;
  type: string;
  count: number;
}

export const CACHE_INVALIDATE = 'cache.invalidate';
export const REACTIONS_CHANGED = 'reactions.changed';

/**
 * The one way to tell the read caches that something changed. `invalidate` runs this instance's
 * handlers synchronously (so the write's answer is never followed by a stale read here) and
 * publishes 'cache.invalidate' on the ClusterBus for the other instances. Writers call it after
 * their transaction commits.
 */
@Injectable()
export class CacheInvalidation implements OnModuleInit {
  private readonly logger = new Logger(CacheInvalidation.name);
  private readonly handlers: InvalidationHandler[] = [];

  constructor(private readonly bus: ClusterBus) {}

  onModuleInit(): void {
    this.bus.subscribe(CACHE_INVALIDATE, (message) => this.run(message as InvalidationMessage));
  }

  /** Registers a cache's handler; it may run twice for one change (here and from the bus). */
  onInvalidate(handler: InvalidationHandler): void {
    this.handlers.push(handler);
  }

  articlesChanged(ids: readonly string[]): void {
    if (ids.length) this.invalidate({ articleIds: [...new Set(ids)] });
  }

  /** Sections or tags changed: every cached article and list may show the old names. */
  everythingChanged(): void {
    this.invalidate({ all: true });
  }

  private invalidate(message: InvalidationMessage): void {
    this.run(message);
    // Without Redis the bus is this process: the handlers above already ran.
    if (!this.bus.shared) return;
    this.bus.publish(CACHE_INVALIDATE, message).catch((err: Error) => {
      // Other instances still drop the entry when its time to live ends.
      this.logger.warn(`cache.invalidate not published: ${err.message}`);
    });
  }

  private run(message: InvalidationMessage): void {
    if (!message || typeof message !== 'object') return;
    for (const handler of this.handlers) handler(message);
  }
}
