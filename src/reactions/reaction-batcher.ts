import { DomainError } from '../common/errors/domain-error';
import type { BatchResult } from './reaction.repository';

/** The most reactions one statement carries; more wait for the next one. */
export const MAX_BATCH = 1000;

type Writer = (
  articleId: string,
  type: string,
  anonymous: number,
  clientHashes: Buffer[],
) => Promise<BatchResult>;

interface Waiting {
  clientHash: Buffer | null;
  resolve(count: number): void;
  reject(err: unknown): void;
}

interface Lane {
  articleId: string;
  type: string;
  waiting: Waiting[];
}

/**
 * Merges the reactions to one article and type that arrive together into one statement, so a hot
 * article does not queue on its row lock one request at a time. Each (article, type) has a lane
 * with at most one statement in flight: the reactions that arrive while it runs (or in the same
 * tick as the first) go together in the next. Nobody is answered before the statement holding
 * their reaction committed; each caller gets the count at its own position in the batch.
 */
export class ReactionBatcher {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly write: Writer,
    private readonly committed: (articleId: string, type: string, count: number) => void,
  ) {}

  /** Resolves with the count after this reaction, once it is committed. */
  add(articleId: string, type: string, clientHash: Buffer | null): Promise<number> {
    return new Promise((resolve, reject) => {
      const key = `${articleId}:${type}`;
      let lane = this.lanes.get(key);
      if (!lane) {
        lane = { articleId, type, waiting: [] };
        this.lanes.set(key, lane);
        const started = lane;
        setImmediate(() => void this.drain(key, started));
      }
      lane.waiting.push({ clientHash, resolve, reject });
    });
  }

  /** Lanes with reactions not yet answered (graceful shutdown waits for none). */
  get busy(): number {
    return this.lanes.size;
  }

  private async drain(key: string, lane: Lane): Promise<void> {
    while (lane.waiting.length) {
      const batch = lane.waiting.splice(0, MAX_BATCH);
      await this.flush(lane, batch);
    }
    this.lanes.delete(key);
  }

  private async flush(lane: Lane, batch: Waiting[]): Promise<void> {
    // A client repeated within one batch is a candidate once: its first reaction.
    const firstOf = new Map<string, Waiting>();
    let anonymous = 0;
    for (const w of batch) {
      if (!w.clientHash) anonymous++;
      else if (!firstOf.has(w.clientHash.toString('hex'))) firstOf.set(w.clientHash.toString('hex'), w);
    }
    let result: BatchResult;
    try {
      result = await this.write(
        lane.articleId,
        lane.type,
        anonymous,
        [...firstOf.values()].map((w) => w.clientHash as Buffer),
      );
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    if (!result.published) {
      for (const w of batch) w.reject(new DomainError('ARTICLE_NOT_FOUND', 'No such article.'));
      return;
    }
    const counts = (w: Waiting) =>
      !w.clientHash ||
      (result.counted.has(w.clientHash.toString('hex')) && firstOf.get(w.clientHash.toString('hex')) === w);
    const added = batch.filter(counts).length;
    let position = result.count - added;
    for (const w of batch) w.resolve(counts(w) ? ++position : result.count);
    if (added > 0) this.committed(lane.articleId, lane.type, result.count);
  }
}
