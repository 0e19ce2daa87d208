import { create } from 'zustand'
import { api } from '../api/client'

/** Sidebar badge counts: unresolved duplicate groups and bursts, and open per-item errors. */
interface CountsState {
  readonly errors: number | null
  readonly duplicates: number | null
  readonly bursts: number | null
  refresh(): Promise<void>
}

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
    try {
      const counts = await api().review.counts({})
      set({ duplicates: counts.duplicates.unresolved, bursts: counts.bursts.unresolved })
    } catch {
      set({ duplicates: null, bursts: null })
    }
  },
}))
