import { create } from 'zustand'
import { api } from '../api/client'

/**
 * Sidebar badge counts: unresolved review groups and open per-item errors. Review counts stay
 * null until the review service exists in this build. Features register a counter here.
 */
interface CountsState {
  readonly errors: number | null
  readonly duplicates: number | null
  readonly bursts: number | null
  refresh(): Promise<void>
}

/** Extra counters contributed by features (duplicates, bursts) once their services exist. */
export const COUNTERS: { [K in 'duplicates' | 'bursts']?: () => Promise<number | null> } = {}

export const useCountsStore = create<CountsState>()((set) => ({
  errors: null,
  duplicates: null,
  bursts: null,
  async refresh() {
    try {
      const groups = await api().jobs.errors({ perCode: 1 })
      set({ errors: groups.reduce((n, g) => n + g.count, 0) })
    } catch {
      // Badges refresh on the next catalog change.
    }
    for (const [key, count] of Object.entries(COUNTERS)) {
      try {
        set({ [key]: await count() })
      } catch {
        set({ [key]: null })
      }
    }
  },
}))
