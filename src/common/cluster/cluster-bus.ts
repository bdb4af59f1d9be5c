import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config';

export type BusHandler = (message: unknown) => void;

/** Channels that cross instances; every message is JSON. */
export type BusChannel = 'cache.invalidate' | 'reactions.changed' | (string & {});

/**
 * Messages between the instances of one Dateline deployment: cache invalidations, live reaction
 * counts. Without REDIS_URL there is one instance and the bus is an in-process emitter; with it,
 * Redis pub/sub carries every message to every instance, this one included, so a handler runs
 * exactly once per instance whichever instance published.
 */
@Injectable()
export class ClusterBus implements OnModuleDestroy {
  private readonly logger = new Logger(ClusterBus.name);
  private readonly local = new EventEmitter();
  private readonly publisher?: Redis;
  private readonly subscriber?: Redis;
  private readonly subscribed = new Set<string>();
  private readonly prefix: string;
  private connections = 0;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.local.setMaxListeners(0);
    this.prefix = 'dateline:';
    if (config.redisUrl) {
      this.publisher = new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
      this.subscriber = new Redis(config.redisUrl, { lazyConnect: false });
      for (const client of [this.publisher, this.subscriber]) {
        client.on('error', (err: Error) => this.logger.warn(`Redis: ${err.message}`));
      }
      this.subscriber.on('ready', () => this.connections++);
      this.subscriber.on('message', (channel: string, raw: string) => {
        if (!channel.startsWith(this.prefix)) return;
        try {
          this.local.emit(channel.slice(this.prefix.length), JSON.parse(raw));
        } catch (err) {
          this.logger.warn(`dropped a malformed bus message on ${channel}: ${(err as Error).message}`);
        }
      });
    }
  }

  get shared(): boolean {
    return this.publisher !== undefined;
  }

  /**
   * -1 while the Redis subscriber is not connected (messages published now are lost to this
   * instance); otherwise a number that changes after every reconnection, so a cache can drop what
   * it kept across a gap. Always 0 without Redis.
   */
  get deliveryEpoch(): number {
    if (!this.subscriber) return 0;
    return this.subscriber.status === 'ready' ? this.connections : -1;
  }

  /** Delivers to every instance's subscribers (this one's too). */
  async publish(channel: BusChannel, message: unknown): Promise<void> {
    if (!this.publisher) {
      this.local.emit(channel, message);
      return;
    }
    await this.publisher.publish(this.prefix + channel, JSON.stringify(message));
  }

  /** Returns an unsubscribe function. */
  subscribe(channel: BusChannel, handler: BusHandler): () => void {
    this.local.on(channel, handler);
    if (this.subscriber && !this.subscribed.has(channel)) {
      this.subscribed.add(channel);
      this.subscriber.subscribe(this.prefix + channel).catch((err: Error) => {
        this.subscribed.delete(channel);
        this.logger.error(`Redis subscribe to ${channel} failed: ${err.message}`);
      });
    }
    return () => this.local.off(channel, handler);
  }

  /** Resolves when the Redis subscriptions made so far are active (tests, start-up). */
  async ready(): Promise<void> {
    const subscriber = this.subscriber;
    if (!subscriber) return;
    await Promise.all([...this.subscribed].map((c) => subscriber.subscribe(this.prefix + c)));
  }

  async onModuleDestroy(): Promise<void> {
    this.local.removeAllListeners();
    await Promise.all([
      this.publisher?.quit().catch(() => undefined),
      this.subscriber?.quit().catch(() => undefined),
    ]);
  }
}
