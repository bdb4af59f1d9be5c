import { LRUCache } from 'lru-cache';

/** The label of operations whose name has no label of its own. */
export const OTHER_OPERATIONS = 'other';

/** Names with their own label at once (each one series per type and outcome). */
export const MAX_OPERATION_NAMES = 200;
/**
 * Times a name must be seen before it gets a label. A site's frontends send their operations
 * again and again; a one-off (a developer trying something, a scanner, junk names meant to fill
 * the budget) never comes back, and stays in `other`.
 */
export const ADMIT_AFTER = 3;
/** Names being watched on their way to a label (least recently seen dropped first). */
const MAX_CANDIDATES = 2_000;
/** Every so often each labelled name's score is halved, so the score follows recent use. */
const DECAY_MS = 10 * 60_000;

/**
 * Which GraphQL operation names /metrics shows, when clients choose the names. A fixed budget
 * filled first come, first served (what we had) lets anyone fill it with junk names and have
 * every real operation counted as `other` until a restart. Here a name earns its label by use:
 * it needs ADMIT_AFTER sightings, and once the budget is full, a newcomer takes the place of
 * the least-used labelled name only when it has been seen more often than that one's recent
 * score. The names a site really uses, seen many times every few minutes, keep their places; a
 * flood of distinct names never gets a label, and a flood of repeated junk names pushes out
 * only names used less than the junk itself, and fades when it stops (scores decay).
 */
export class OperationNames {
  /** Labelled names and their recent use (decayed). */
  private readonly labelled = new Map<string, number>();
  /** Sightings of names without a label yet. */
  private readonly candidates = new LRUCache<string, number>({ max: MAX_CANDIDATES });
  private decayedAt: number;

  /** `forget` is told when a name loses its label, so its series can be removed. */
  constructor(
    private readonly forget: (name: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.decayedAt = now();
  }

  /** The label to count one operation of this name under: the name itself or `other`. */
  labelFor(name: string): string {
    this.decay();
    const score = this.labelled.get(name);
    if (score !== undefined) {
      this.labelled.set(name, score + 1);
      return name;
    }
    const seen = (this.candidates.get(name) ?? 0) + 1;
    if (seen < ADMIT_AFTER || !this.makeRoom(seen)) {
      this.candidates.set(name, seen);
      return OTHER_OPERATIONS;
    }
    this.candidates.delete(name);
    this.labelled.set(name, seen);
    return name;
  }

  /** Frees a place for a name seen `seen` times, if there is one or a less-used name to drop. */
  private makeRoom(seen: number): boolean {
    if (this.labelled.size < MAX_OPERATION_NAMES) return true;
    let weakest: string | undefined;
    let lowest = Infinity;
    for (const [name, score] of this.labelled) {
      if (score < lowest) [weakest, lowest] = [name, score];
    }
    if (weakest === undefined || seen <= lowest) return false;
    this.labelled.delete(weakest);
    this.forget(weakest);
    return true;
  }

  private decay(): void {
    const now = this.now();
    if (now - this.decayedAt < DECAY_MS) return;
    const halvings = Math.min(32, Math.floor((now - this.decayedAt) / DECAY_MS));
    for (const [name, score] of this.labelled) this.labelled.set(name, score / 2 ** halvings);
    this.decayedAt = now;
  }
}
