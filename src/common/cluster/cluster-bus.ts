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
  /** The subscriber is connected and subscribed to every channel asked for so far. */
  private listening = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.local.setMaxListeners(0);
    this.prefix = 'dateline:';
    if (config.redisUrl) {
      this.publisher = new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
      // The subscriber subscribes itself on every (re)connection, once the connection is ready.
      // ioredis's ready check sends INFO, which a connection already in subscriber mode refuses:
      // a SUBSCRIBE queued before the check made it drop the connection and come back with no
      // subscriptions, and the instance then missed every message, silently.
      this.subscriber = new Redis(config.redisUrl, {
        lazyConnect: false,
        enableReadyCheck: false,
        autoResubscribe: false,
      });
      for (const client of [this.publisher, this.subscriber]) {
        client.on('error', (err: Error) => this.logger.warn(`Redis: ${err.message}`));
      }
      this.subscriber.on('ready', () => void this.listen());
      this.subscriber.on('close', () => (this.listening = false));
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
    return this.listening && this.subscriber.status === 'ready' ? this.connections : -1;
  }

  /** Subscribes a fresh connection to every channel; messages count from then on. */
  private async listen(): Promise<void> {
    const subscriber = this.subscriber as Redis;
    const channels = [...this.subscribed].map((c) => this.prefix + c);
    try {
      if (channels.length) await subscriber.subscribe(...channels);
      this.connections++;
      this.listening = true;
    } catch (err) {
      // The connection broke meanwhile: its next 'ready' tries again.
      this.logger.warn(`Redis subscribe failed: ${(err as Error).message}`);
    }
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
      // Not connected yet: the next 'ready' subscribes to it with the others.
      if (this.subscriber.status === 'ready')
        this.subscriber.subscribe(this.prefix + channel).catch((err: Error) => {
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
