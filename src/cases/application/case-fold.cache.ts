import type { CaseFold } from './case.fold';

/**
 * Folds of recently used cases, least recently used first, bounded by a number of cases.
 *
 * A cache of work, not of truth: the case event stream still reads every event after the
 * cached revision on each load, so an answer is never staler than a read without it, and
 * another writer (another instance on EventStoreDB, a racing request) is read as the tail.
 */
export class CaseFoldCache {
  /** Map order is recency order: the first key is the least recently used. */
  private readonly folds = new Map<string, CaseFold>();

  /** `maxCases` of 0 disables the cache: nothing is kept. */
  constructor(readonly maxCases: number) {}

  /** The cached fold of a case, or undefined; counts as a use. */
  get(caseId: string): CaseFold | undefined {
    const fold = this.folds.get(caseId);
    if (fold === undefined) return undefined;
    this.folds.delete(caseId);
    this.folds.set(caseId, fold);
    return fold;
  }

  /**
   * Keeps `fold` unless a later one of the same case is already held, which happens when a
   * slower concurrent load finishes after a faster one. A case that does not exist is not
   * kept, so unknown ids cannot grow the map.
   */
  set(fold: CaseFold): void {
    if (this.maxCases === 0 || fold.revision === 0) return;
    const current = this.folds.get(fold.caseId);
    if (current !== undefined && current.revision >= fold.revision) return;
    this.folds.delete(fold.caseId);
    this.folds.set(fold.caseId, fold);
    if (this.folds.size > this.maxCases) {
      this.folds.delete(this.folds.keys().next().value!);
    }
  }

  delete(caseId: string): void {
    this.folds.delete(caseId);
  }

  clear(): void {
    this.folds.clear();
  }
}
