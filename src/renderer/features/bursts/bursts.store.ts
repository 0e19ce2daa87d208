import { create } from 'zustand'
import type { BurstDto, BurstSummaryDto } from '../../../shared/contract/review'
import { api } from '../../api/client'
import { reviewSlice, type ReviewQueue, type ReviewState } from '../review/review.store'

interface BurstsState extends ReviewState<BurstSummaryDto, BurstDto> {
  makeBest(photoId: number): Promise<void>
}

const burstQueue: ReviewQueue<BurstSummaryDto, BurstDto> = {
  list: (limit) => api().review.bursts({ status: 'open', limit }),
  get: (id) => api().review.burst({ id }),
  setRole: (burstId, photoId, role) => api().review.setBurstRole({ burstId, photoId, role }),
  dismiss: (burstId) => api().review.dismissBurst({ burstId }),
  resolve: (selection) => api().review.resolveBursts(selection),
  reachable: (burst) => burst.members.length,
  // A burst opens on its best frame.
  openAt: (burst) => Math.max(0, burst?.members.findIndex((m) => m.best) ?? 0),
  messages: {
    dismissed: 'Marked as not a burst. Ctrl+Z undoes.',
    resolved: (result) =>
      `Kept the best frames; ${result.moved.length} file(s) moved. Ctrl+Z undoes.`,
    undone: (result) => `Undone: ${result.decision.summary}`,
  },
}

export const useBurstsStore = create<BurstsState>()((set, get) => ({
  ...reviewSlice(burstQueue, set, get),
  async makeBest(photoId) {
    await get().decide((burstId) => api().review.setBurstBest({ burstId, photoId }))
  },
}))
