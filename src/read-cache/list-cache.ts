import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { strongEtag } from '../common/http-cache/etag';
import { AnswerCache } from './answer-cache';

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
}

/**
 * Public REST list answers by their exact URL, for at most LIST_TTL_MS. Any article write drops
 * them all; a reaction count drops the lists that show that article.
 */
@Injectable()
export class ListCache extends AnswerCache<CachedList> {
  constructor(clock: Clock) {
    super({ ttlMs: LIST_TTL_MS, max: MAX_LISTS }, clock);
  }

  /** Keeps a list answer (the ids it shows are read from it). */
  storeList(since: number, url: string, body: string, surrogateKey: string | undefined): void {
    let ids: string[];
    try {
      const parsed = JSON.parse(body) as { data?: { id?: unknown }[] };
      ids = (parsed.data ?? []).map((a) => String(a.id));
    } catch {
      return;
    }
    this.store(since, url, { body, etag: strongEtag(body), surrogateKey }, ids);
  }
}
