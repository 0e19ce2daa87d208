import { create } from 'zustand'
import type {
  BurstDto,
  BurstSummaryDto,
  MemberRole,
  ResolutionSummary,
} from '../../../shared/contract/review'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { useUiStore } from '../../app/ui.store'

const LIST_LIMIT = 200

interface BurstsState {
  readonly bursts: readonly BurstSummaryDto[]
  readonly total: number
  readonly index: number
  readonly burst: BurstDto | null
  /** The frame under the keyboard (0-based). */
  readonly active: number
  readonly pending: {
    readonly scope: 'burst' | 'all'
    readonly burstId: number | null
    readonly summary: ResolutionSummary
  } | null
  readonly loading: boolean
  readonly error: string | null
  load(): Promise<void>
  select(index: number): Promise<void>
  step(delta: number): void
  setActive(index: number): void
  makeBest(photoId: number): Promise<void>
  setRole(photoId: number, role: MemberRole): Promise<void>
  notBurst(): Promise<void>
  prepareResolve(scope: 'burst' | 'all'): Promise<void>
  confirmResolve(): Promise<void>
  cancelResolve(): void
  undo(): Promise<void>
}

export const useBurstsStore = create<BurstsState>()((set, get) => {
  const run = async (work: () => Promise<void>) => {
    try {
      await work()
    } catch (error) {
      set({ error: errorMessage(error), loading: false })
      useUiStore.getState().notify(errorMessage(error), 'error')
    }
  }
  return {
    bursts: [],
    total: 0,
    index: 0,
    burst: null,
    active: 0,
    pending: null,
    loading: true,
    error: null,
    async load() {
      await run(async () => {
        const page = await api().review.bursts({ status: 'open', limit: LIST_LIMIT })
        const index = Math.min(get().index, Math.max(0, page.items.length - 1))
        set({ bursts: page.items, total: page.total, index, loading: false, error: null })
        await get().select(index)
      })
    },
    async select(index) {
      const summary = get().bursts[index]
      set({ index })
      if (!summary) {
        set({ burst: null })
        return
      }
      await run(async () => {
        const burst = await api().review.burst({ id: summary.id })
        if (get().bursts[get().index]?.id !== summary.id) return
        const best = burst?.members.findIndex((m) => m.best) ?? 0
        set({ burst, active: Math.max(0, best) })
      })
    },
    step(delta) {
      const next = get().index + delta
      if (next >= 0 && next < get().bursts.length) void get().select(next)
    },
    setActive(active) {
      if (active >= 0 && active < (get().burst?.members.length ?? 0)) set({ active })
    },
    async makeBest(photoId) {
      const burst = get().burst
      if (!burst) return
      await run(async () =>
        set({ burst: await api().review.setBurstBest({ burstId: burst.id, photoId }) }),
      )
    },
    async setRole(photoId, role) {
      const burst = get().burst
      if (!burst) return
      await run(async () =>
        set({ burst: await api().review.setBurstRole({ burstId: burst.id, photoId, role }) }),
      )
    },
    async notBurst() {
      const burst = get().burst
      if (!burst) return
      await run(async () => {
        await api().review.dismissBurst({ burstId: burst.id })
        useUiStore.getState().notify('Marked as not a burst. Ctrl+Z undoes.')
        await get().load()
      })
    },
    async prepareResolve(scope) {
      const burst = get().burst
      if (scope === 'burst' && !burst) return
      await run(async () => {
        const ids = scope === 'burst' && burst ? [burst.id] : undefined
        const result = await api().review.resolveBursts({
          ids,
          all: scope === 'all',
          confirm: false,
        })
        set({ pending: { scope, burstId: burst?.id ?? null, summary: result.summary } })
      })
    },
    async confirmResolve() {
      const pending = get().pending
      if (!pending) return
      set({ pending: null })
      await run(async () => {
        const ids =
          pending.scope === 'burst' && pending.burstId !== null ? [pending.burstId] : undefined
        const result = await api().review.resolveBursts({
          ids,
          all: pending.scope === 'all',
          confirm: true,
        })
        useUiStore
          .getState()
          .notify(`Kept the best frames; ${result.moved.length} file(s) moved. Ctrl+Z undoes.`)
        await get().load()
      })
    },
    cancelResolve() {
      set({ pending: null })
    },
    async undo() {
      await run(async () => {
        const result = await api().review.undo({})
        useUiStore.getState().notify(`Undone: ${result.decision.summary}`)
        await get().load()
      })
    },
  }
})
