import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { strongEtag } from '../../common/http-cache/etag';

/**
 * At most this old: a scheduled article becomes due, or another instance's write is missed, and
 * lists show it within the contract's 1 s anyway.
 */
export const LIST_TTL_MS = 1_000;
const MAX_LISTS = 2_000;

export interface CachedList {
  body: string;
  etag: string;
  surrogateKey: string | undefined;
  ids: string[];
}

/**
 * Public REST list answers by their exact URL, for at most LIST_TTL_MS. Any article write drops
 * them all; a reaction count drops the lists that show that article.
 */
@Injectable()
export class ListCache {
  private readonly lists = new LRUCache<string, CachedList>({
    max: MAX_LISTS,
    ttl: LIST_TTL_MS,
    dispose: (list, url) => this.unlink(list, url),
  });
  /** Article id → URLs of cached lists that show it. */
  private readonly shownIn = new Map<string, Set<string>>();
  /** Lists being read now: the other readers of the same URL wait for that one read. */
  private readonly filling = new Map<string, Promise<void>>();
  private seq = 0;
  private clearedAt = 0;
  private readonly changedAt = new Map<string, number>();

  get(url: string): CachedList | undefined {
    return this.lists.get(url);
  }

  begin(): number {
    return this.seq;
  }

  /** A read of this URL in flight, if any: wait for it, then look again. */
  inFlight(url: string): Promise<void> | undefined {
    return this.filling.get(url);
  }

  /** This request reads the list; call the function given back when its answer is sent. */
  startFill(url: string): () => void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => {
      // Waiters never wait long, even for an answer that never ends.
      const timer = setTimeout(resolve, 2_000);
      timer.unref();
      release = () => {
        clearTimeout(timer);
        resolve();
        if (this.filling.get(url) === promise) this.filling.delete(url);
      };
    });
    this.filling.set(url, promise);
    return release;
  }

  /** Keeps an answer read after `begin()` unless something it shows changed meanwhile. */
  store(since: number, url: string, body: string, surrogateKey: string | undefined): void {
    if (this.clearedAt > since) return;
    let ids: string[];
    try {
      const parsed = JSON.parse(body) as { data?: { id?: unknown }[] };
      ids = (parsed.data ?? []).map((a) => String(a.id));
    } catch {
      return;
    }
    if (ids.some((id) => (this.changedAt.get(id) ?? 0) > since)) return;
    this.lists.set(url, { body, etag: strongEtag(body), surrogateKey, ids });
    for (const id of ids) {
      const set = this.shownIn.get(id) ?? new Set<string>();
      set.add(url);
      this.shownIn.set(id, set);
    }
  }

  /** Drops the lists that show these articles (their reaction counts changed). */
  invalidate(ids: readonly string[]): void {
    for (const id of ids) {
      this.changedAt.set(id, ++this.seq);
      for (const url of this.shownIn.get(id) ?? []) this.lists.delete(url);
    }
    if (this.changedAt.size > 10_000) this.clear();
  }

  clear(): void {
    this.clearedAt = ++this.seq;
    this.changedAt.clear();
    this.lists.clear();
    this.shownIn.clear();
  }

  private unlink(list: CachedList, url: string): void {
    for (const id of list.ids) {
      const set = this.shownIn.get(id);
      set?.delete(url);
      if (set && !set.size) this.shownIn.delete(id);
    }
  }
}
