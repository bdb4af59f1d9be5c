import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import type { IdOrSlug } from '../common/http/id-or-slug.pipe';
import { hourOf } from '../reactions/reaction.repository';
import { checkClientId, clientHash, ReactionsService } from '../reactions/reactions.service';
import { ViewRepository, type ClientView, type ViewCounts } from './view.repository';

/** Views wait in memory at most this long before they are written. */
export const VIEW_FLUSH_MS = 1000;

/**
 * View beacons. They are buffered in memory per article and hour for at most one second and
 * written in one statement, so a crash loses at most the last second of views; a graceful
 * shutdown writes them (onModuleDestroy runs after HTTP drained and before the pool closes).
 */
@Injectable()
export class ViewsService implements OnModuleDestroy {
  private readonly logger = new Logger(ViewsService.name);
  private counts = new Map<string, ViewCounts>();
  private clients = new Map<string, ClientView>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: ViewRepository,
    private readonly reactions: ReactionsService,
    private readonly clock: Clock,
  ) {}

  async record(key: string | IdOrSlug, clientId?: string | null): Promise<void> {
    checkClientId(clientId);
    const articleId = await this.reactions.publicArticleId(key);
    const now = this.clock.date();
    const hour = hourOf(now.getTime());
    const bucket = `${articleId}:${hour.toISOString()}`;
    const counted = this.counts.get(bucket);
    if (counted) counted.views++;
    else this.counts.set(bucket, { articleId, hour, views: 1 });
    if (clientId) {
      const hash = clientHash(clientId);
      this.clients.set(`${hash.toString('hex')}:${articleId}`, {
        clientHash: hash,
        articleId,
        viewedAt: now,
      });
    }
    this.timer ??= setTimeout(() => void this.flush(), VIEW_FLUSH_MS);
  }

  /** Writes what is buffered now (one statement); resolves when it is written. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const counts = [...this.counts.values()];
    const clients = [...this.clients.values()];
    this.counts = new Map();
    this.clients = new Map();
    if (!counts.length) return this.flushing;
    // One write at a time, in order.
    this.flushing = this.flushing.then(() =>
      this.repository.write(counts, clients).catch((err: Error) => {
        this.logger.error(`lost ${counts.reduce((n, c) => n + c.views, 0)} views: ${err.message}`);
      }),
    );
    return this.flushing;
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }
}
