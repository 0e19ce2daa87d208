import { create } from 'zustand'
import type { FolderCount, PhotoFilter, PhotoQuery } from '../../../shared/contract/photos'
import type { PhotoDetail } from '../../../shared/contract/photos'
import type { PhotoSort } from '../../../shared/photos'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { PageCache } from './page-cache'
import {
  EMPTY_SELECTION,
  clickIndex,
  moveFocus,
  selectAll,
  type Modifiers,
  type NavKey,
  type Selection,
} from './selection'

/** What the grid shows: filters, sort and direction. The page cache is keyed by it. */
export interface LibraryQuery {
  readonly filter: PhotoFilter
  readonly sort: PhotoSort
  readonly descending: boolean
}

export const DEFAULT_QUERY: LibraryQuery = { filter: {}, sort: 'date', descending: true }

export function queryKey(query: LibraryQuery): string {
  return JSON.stringify([query.filter, query.sort, query.descending])
}

export interface LibraryState {
  readonly query: LibraryQuery
  readonly cache: PageCache
  /** Bumped whenever a page lands, so cells re-read the cache. */
  readonly version: number
  /** Bumped on catalog changes, so thumbnails that were missing (not analysed yet) are retried. */
  readonly mediaEpoch: number
  readonly total: number | null
  readonly loading: boolean
  readonly error: string | null
  readonly selection: Selection
  /** Grid layout reported by the grid (for keyboard paging). */
  readonly columns: number
  readonly pageRows: number
  /** Thumbnail cell size in CSS pixels (slider). */
  readonly cellSize: number
  readonly folders: readonly FolderCount[]
  readonly cameras: readonly { readonly camera: string; readonly count: number }[]
  readonly detail: PhotoDetail | null
  readonly detailError: string | null
  /** Index of the photo open in the viewer, or null. */
  readonly viewerIndex: number | null
  /** Milliseconds from a query change to its first page (the UI benchmark reads it). */
  readonly lastQueryMs: number | null
  /** A CLIP search (text or "more like this") shown in the grid instead of the plain query. */
  readonly search: ActiveSearch | null
  /** Similarity per photo id while a search is shown. */
  readonly scores: ReadonlyMap<number, number> | null

  setFilter(patch: Partial<PhotoFilter>): void
  replaceFilter(filter: PhotoFilter): void
  setSort(sort: PhotoSort, descending?: boolean): void
  setCellSize(px: number): void
  setLayout(columns: number, pageRows: number): void
  /** Makes sure rows [start, stop] are loaded (the grid calls it on scroll). */
  ensureRange(start: number, stop: number): void
  /** Catalog changed: refetch what is on screen, keep showing the old rows meanwhile. */
  refresh(): void
  loadSidebar(): Promise<void>
  click(index: number, mods?: Modifiers): void
  navigate(key: NavKey, mods?: Modifiers): void
  selectAll(): void
  openViewer(index: number | null): void
  loadDetail(id: number | null): Promise<void>
  /** Ranks photos with CLIP (combined with the current filters) and shows them in rank order. */
  runSearch(spec: SearchSpec): Promise<void>
  clearSearch(): void
}

/** What a CLIP search asks for. */
export type SearchSpec =
  | { readonly kind: 'text'; readonly query: string }
  | { readonly kind: 'similar'; readonly photoId: number; readonly label: string }

export interface ActiveSearch {
  readonly spec: SearchSpec
  readonly hits: number
  readonly candidates: number
  readonly searchMs: number
}

/** Results a CLIP search shows at most (ranked; the rest are less alike than these). */
const SEARCH_LIMIT = 1000

let visible: [number, number] = [0, 0]
/**
 * Page requests go out at most this often while the grid scrolls: a fast fling crosses dozens of
 * pages, and only where it stops matters. The latest visible range is always the one fetched.
 */
const FETCH_INTERVAL_MS = 100
let lastFetchAt = -Infinity
let fetchTimer: ReturnType<typeof setTimeout> | undefined
let detailRequest = 0

function cleanFilter(filter: PhotoFilter): PhotoFilter {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '' && value !== null) out[key] = value
  }
  return out as PhotoFilter
}

export const useLibraryStore = create<LibraryState>()((set, get) => {
  let queryStartedAt = 0
  const startQuery = (query: LibraryQuery) => {
    const search = get().search
    if (search) {
      set({ query })
      void get().runSearch(search.spec)
      return
    }
    const cache = new PageCache(queryKey(query))
    queryStartedAt = performance.now()
    set({
      query,
      cache,
      total: null,
      version: get().version + 1,
      selection: EMPTY_SELECTION,
      viewerIndex: null,
      loading: true,
    })
    // A new query starts at the top (the grid scrolls there) and is fetched at once.
    visible = [0, Math.max(0, visible[1] - visible[0])]
    lastFetchAt = -Infinity
    get().ensureRange(visible[0], visible[1])
  }

  const fetchPage = async (cache: PageCache, page: number) => {
    const generation = cache.markPending(page)
    const { query } = get()
    const request: PhotoQuery = {
      filter: query.filter,
      sort: query.sort,
      descending: query.descending,
      offset: page * cache.pageSize,
      limit: cache.pageSize,
    }
    try {
      const result = await api().photos.page(request)
      cache.store(page, result.items, result.total, generation)
      if (get().cache !== cache) return
      const firstOfQuery = get().total === null
      set({
        version: get().version + 1,
        total: cache.total,
        loading: false,
        error: null,
        ...(firstOfQuery ? { lastQueryMs: performance.now() - queryStartedAt } : {}),
      })
    } catch (error) {
      cache.failed(page, generation)
      if (get().cache === cache) set({ loading: false, error: errorMessage(error) })
    }
  }

  return {
    query: DEFAULT_QUERY,
    cache: new PageCache(queryKey(DEFAULT_QUERY)),
    version: 0,
    mediaEpoch: 0,
    total: null,
    loading: true,
    error: null,
    selection: EMPTY_SELECTION,
    columns: 1,
    pageRows: 1,
    cellSize: 180,
    folders: [],
    cameras: [],
    detail: null,
    detailError: null,
    viewerIndex: null,
    lastQueryMs: null,
    search: null,
    scores: null,

    setFilter(patch) {
      const { query } = get()
      startQuery({ ...query, filter: cleanFilter({ ...query.filter, ...patch }) })
    },
    replaceFilter(filter) {
      startQuery({ ...get().query, filter: cleanFilter(filter) })
    },
    setSort(sort, descending) {
      const { query } = get()
      startQuery({ ...query, sort, descending: descending ?? query.descending })
    },
    setCellSize(px) {
      set({ cellSize: Math.round(Math.min(400, Math.max(80, px))) })
    },
    setLayout(columns, pageRows) {
      if (columns !== get().columns || pageRows !== get().pageRows) set({ columns, pageRows })
    },
    ensureRange(start, stop) {
      visible = [start, stop]
      const { cache } = get()
      for (
        let p = Math.floor(start / cache.pageSize);
        p <= Math.floor(stop / cache.pageSize);
        p++
      ) {
        cache.touch(p)
      }
      // Search results arrive whole; there is nothing to page in.
      if (get().search) return
      const fetchVisible = () => {
        lastFetchAt = performance.now()
        const current = get().cache
        // One page of look-ahead each way so scrolling rarely reaches an empty cell.
        const margin = current.pageSize
        for (const page of current.pagesToFetch(
          Math.max(0, visible[0] - margin),
          visible[1] + margin,
        )) {
          void fetchPage(current, page)
        }
      }
      const since = performance.now() - lastFetchAt
      if (since >= FETCH_INTERVAL_MS) {
        fetchVisible()
      } else if (fetchTimer === undefined) {
        fetchTimer = setTimeout(() => {
          fetchTimer = undefined
          fetchVisible()
        }, FETCH_INTERVAL_MS - since)
      }
    },
    refresh() {
      const search = get().search
      if (search) {
        set({ mediaEpoch: get().mediaEpoch + 1 })
        void get().runSearch(search.spec)
        return
      }
      const { cache } = get()
      set({ mediaEpoch: get().mediaEpoch + 1 })
      cache.invalidate()
      get().ensureRange(visible[0], visible[1])
      void get().loadSidebar()
      const focusId = get().detail?.photo.id ?? null
      if (focusId !== null) void get().loadDetail(focusId)
    },
    async loadSidebar() {
      try {
        const [folders, cameras] = await Promise.all([
          api().photos.folders({}),
          api().photos.cameras({}),
        ])
        set({ folders, cameras })
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    click(index, mods) {
      const selection = clickIndex(get().selection, index, mods)
      set({ selection })
      void get().loadDetail(get().cache.get(index)?.id ?? null)
    },
    navigate(key, mods) {
      const { selection, columns, total, pageRows, viewerIndex } = get()
      const next = moveFocus(selection, key, { columns, total: total ?? 0, pageRows }, mods)
      set({
        selection: next,
        ...(viewerIndex !== null && next.focus !== null ? { viewerIndex: next.focus } : {}),
      })
      if (next.focus !== null) void get().loadDetail(get().cache.get(next.focus)?.id ?? null)
    },
    selectAll() {
      set({ selection: selectAll(get().total ?? 0, get().selection.focus) })
    },
    openViewer(index) {
      set({ viewerIndex: index })
      if (index !== null) {
        set({ selection: clickIndex(get().selection, index) })
        void get().loadDetail(get().cache.get(index)?.id ?? null)
      }
    },
    async runSearch(spec) {
      const { query } = get()
      try {
        const result =
          spec.kind === 'text'
            ? await api().search.text({
                query: spec.query,
                limit: SEARCH_LIMIT,
                filter: query.filter,
              })
            : await api().search.similar({
                photoId: spec.photoId,
                limit: SEARCH_LIMIT,
                filter: query.filter,
              })
        const cache = new PageCache(`search:${JSON.stringify(spec)}:${queryKey(query)}`)
        const items = result.hits.map((h) => h.photo)
        for (let p = 0; p * cache.pageSize < Math.max(1, items.length); p++) {
          cache.store(
            p,
            items.slice(p * cache.pageSize, (p + 1) * cache.pageSize),
            items.length,
            cache.markPending(p),
          )
        }
        set({
          cache,
          total: items.length,
          version: get().version + 1,
          loading: false,
          error: null,
          selection: EMPTY_SELECTION,
          viewerIndex: null,
          search: {
            spec,
            hits: items.length,
            candidates: result.candidates,
            searchMs: result.searchMs,
          },
          scores: new Map(result.hits.map((h) => [h.photo.id, h.score])),
        })
      } catch (error) {
        set({ error: errorMessage(error), loading: false })
      }
    },
    clearSearch() {
      if (!get().search) return
      set({ search: null, scores: null })
      startQuery(get().query)
    },
    async loadDetail(id) {
      const request = ++detailRequest
      if (id === null) {
        set({ detail: null, detailError: null })
        return
      }
      try {
        const detail = await api().photos.get({ id })
        if (request === detailRequest) set({ detail, detailError: null })
      } catch (error) {
        if (request === detailRequest) set({ detailError: errorMessage(error) })
      }
    },
  }
})

/** The photo under the keyboard focus, if its page is loaded. */
export function focusedPhoto(state: LibraryState) {
  return state.selection.focus === null ? undefined : state.cache.get(state.selection.focus)
}
