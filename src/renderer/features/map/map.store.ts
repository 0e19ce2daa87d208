import { create } from 'zustand'
import type { MapTimeline, MapView } from '../../../shared/contract/map'
import type { PhotoFilter } from '../../../shared/contract/photos'
import { normaliseBounds } from '../../../shared/map'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'

export interface MapViewport {
  readonly south: number
  readonly west: number
  readonly north: number
  readonly east: number
  readonly zoom: number
}

interface MapState {
  readonly viewport: MapViewport | null
  readonly view: MapView | null
  readonly timeline: MapTimeline | null
  /** The timeline slider's range (ISO dates), or null for all dates. */
  readonly dateRange: readonly [string, string] | null
  readonly error: string | null
  /** Milliseconds of the last cluster request (request → data in the store). */
  readonly lastFetchMs: number | null
  setViewport(viewport: MapViewport): void
  setDateRange(range: readonly [string, string] | null): void
  loadTimeline(): Promise<void>
  refresh(): void
}

let requestSeq = 0

export function dateFilter(range: readonly [string, string] | null): PhotoFilter {
  return range ? { dateFrom: range[0], dateTo: range[1] } : {}
}

export const useMapStore = create<MapState>()((set, get) => {
  const fetchClusters = async () => {
    const { viewport, dateRange } = get()
    if (!viewport) return
    const seq = ++requestSeq
    const started = performance.now()
    try {
      const view = await api().map.clusters({
        bounds: normaliseBounds(viewport.south, viewport.west, viewport.north, viewport.east),
        zoom: Math.max(0, Math.min(22, Math.round(viewport.zoom))),
        filter: dateFilter(dateRange),
      })
      // A slower answer for an older view must not replace the current one.
      if (seq === requestSeq) set({ view, error: null, lastFetchMs: performance.now() - started })
    } catch (error) {
      if (seq === requestSeq) set({ error: errorMessage(error) })
    }
  }
  return {
    viewport: null,
    view: null,
    timeline: null,
    dateRange: null,
    error: null,
    lastFetchMs: null,
    setViewport(viewport) {
      set({ viewport })
      void fetchClusters()
    },
    setDateRange(dateRange) {
      set({ dateRange })
      void fetchClusters()
    },
    async loadTimeline() {
      try {
        set({ timeline: await api().map.timeline({}) })
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    refresh() {
      void fetchClusters()
      void get().loadTimeline()
    },
  }
})
