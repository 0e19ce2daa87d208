import type { PhotoSummary } from '../../../shared/photos'

/** Rows per `photos.page` call: big enough to fill a screen twice, small enough to stay < 10 ms. */
export const PAGE_SIZE = 200
/** Pages kept in memory (~8,000 summaries); the rest is dropped least-recently-used first. */
export const MAX_PAGES = 40

interface Page {
  items: readonly PhotoSummary[]
  /** The cache generation it was fetched in; older pages are shown but refetched. */
  generation: number
}

/**
 * The grid's rows by index, for one query: pages fetched on demand, never the whole library.
 * `invalidate()` (catalog changed) keeps old pages on screen until their refetch lands, so the
 * grid never flashes empty while an import adds rows.
 */
export class PageCache {
  private readonly pages = new Map<number, Page>()
  private readonly pending = new Map<number, number>()
  private generation = 0
  total: number | null = null

  constructor(
    readonly key: string,
    readonly pageSize = PAGE_SIZE,
    readonly maxPages = MAX_PAGES,
  ) {}

  get(index: number): PhotoSummary | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize))
    return page?.items[index % this.pageSize]
  }

  /** Page numbers covering rows [start, stop] that are absent or stale and not being fetched. */
  pagesToFetch(start: number, stop: number): number[] {
    if (stop < start) return []
    const last = this.total === null ? stop : Math.min(stop, Math.max(this.total - 1, 0))
    const wanted: number[] = []
    for (
      let p = Math.floor(Math.max(start, 0) / this.pageSize);
      p <= Math.floor(last / this.pageSize);
      p++
    ) {
      const page = this.pages.get(p)
      const fresh = page !== undefined && page.generation === this.generation
      if (!fresh && this.pending.get(p) !== this.generation) wanted.push(p)
    }
    return wanted
  }

  /** Records that `page` is being fetched; returns the generation to pass to `store`. */
  markPending(page: number): number {
    this.pending.set(page, this.generation)
    return this.generation
  }

  /** Stores a fetched page; a response from before an invalidation still fills gaps. */
  store(page: number, items: readonly PhotoSummary[], total: number, generation: number): void {
    if (this.pending.get(page) === generation) this.pending.delete(page)
    const existing = this.pages.get(page)
    if (existing && existing.generation > generation) return
    if (generation === this.generation || this.total === null) this.total = total
    this.pages.delete(page)
    this.pages.set(page, { items, generation })
    this.evict(page)
  }

  /** A fetch failed: let the next `pagesToFetch` try again. */
  failed(page: number, generation: number): void {
    if (this.pending.get(page) === generation) this.pending.delete(page)
  }

  /** Marks every page stale (catalog changed); they stay visible until refetched. */
  invalidate(): void {
    this.generation++
    this.pending.clear()
  }

  /** Loaded pages, for tests and memory checks. */
  get loadedPages(): number {
    return this.pages.size
  }

  /** Marks `page` most recently used (Map keeps insertion order) and drops the oldest beyond max. */
  touch(page: number): void {
    const existing = this.pages.get(page)
    if (!existing) return
    this.pages.delete(page)
    this.pages.set(page, existing)
  }

  private evict(keep: number): void {
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value
      if (oldest === undefined || oldest === keep) break
      this.pages.delete(oldest)
    }
  }
}
