/**
 * How many changed ids are remembered. Past that they are forgotten at once and every read that
 * began before counts as stale: memory stays bounded, and a fill is refused rather than risked.
 */
export const MAX_REMEMBERED_CHANGES = 50_000;

/**
 * The read caches' one staleness guard. A read calls `begin()` before it starts; a change calls
 * `changed(ids)` (or `everything()`); the read's result may be kept only if `changedSince` is
 * false, so an answer read before a write never outlives that write's acknowledgement.
 */
export class ChangeGuard {
  private seq = 0;
  private everythingAt = 0;
  private readonly changedAt = new Map<string, number>();

  begin(): number {
    return this.seq;
  }

  changed(ids: readonly string[]): void {
    for (const id of ids) {
      if (this.changedAt.size >= MAX_REMEMBERED_CHANGES) this.everything();
      this.changedAt.set(id, ++this.seq);
    }
  }

  everything(): void {
    this.everythingAt = ++this.seq;
    this.changedAt.clear();
  }

  /** Whether any of these ids (or everything) changed after `since` (a value of `begin()`). */
  changedSince(since: number, ids: readonly string[]): boolean {
    return this.everythingAt > since || ids.some((id) => (this.changedAt.get(id) ?? 0) > since);
  }
}
