import type { CaseHistoryEntry } from '../domain/case.history';

/**
 * Decoded case histories, least recently used first, bounded by the total number of events held.
 *
 * It is a cache of work, not of truth: {@link loadCaseHistory} still asks the store for every
 * event after the cached ones on each load, so an answer is never staler than a read without
 * the cache, and another writer (another instance on EventStoreDB, a racing request) is simply
 * read as the tail. What makes a cached prefix safe to reuse is that events are immutable and
 * streams append-only; a tail that does not continue the cached revisions drops the entry.
 */
export class CaseHistoryCache {
  /** Map order is recency order: the first key is the least recently used. */
  private readonly histories = new Map<string, readonly CaseHistoryEntry[]>();
  private heldEvents = 0;

  /** `maxEvents` of 0 disables the cache: nothing is kept. */
  constructor(readonly maxEvents: number) {}

  /** Events held across all cached histories. */
  get events(): number {
    return this.heldEvents;
  }

  /** The cached history of a case, oldest first, or undefined; counts as a use. */
  get(caseId: string): readonly CaseHistoryEntry[] | undefined {
    const history = this.histories.get(caseId);
    if (history === undefined) return undefined;
    this.histories.delete(caseId);
    this.histories.set(caseId, history);
    return history;
  }

  /**
   * Keeps `history` (copied: callers own their arrays) unless a longer one of the same case is
   * already held, which happens when a slower concurrent load finishes after a faster one.
   * Empty histories are not kept, so unknown ids cannot grow the map; neither is one longer than
   * the whole bound, which would only evict everything else.
   */
  set(caseId: string, history: readonly CaseHistoryEntry[]): void {
    const current = this.histories.get(caseId);
    if (current !== undefined && current.length >= history.length) return;
    if (history.length === 0 || history.length > this.maxEvents) {
      if (current !== undefined) this.delete(caseId);
      return;
    }
    if (current !== undefined) this.delete(caseId);
    this.histories.set(caseId, Object.freeze(history.slice()));
    this.heldEvents += history.length;
    for (const [oldest, evicted] of this.histories) {
      if (this.heldEvents <= this.maxEvents) break;
      this.histories.delete(oldest);
      this.heldEvents -= evicted.length;
    }
  }

  delete(caseId: string): void {
    const history = this.histories.get(caseId);
    if (history === undefined) return;
    this.histories.delete(caseId);
    this.heldEvents -= history.length;
  }
}
