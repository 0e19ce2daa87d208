import { create } from 'zustand'
import type { DuplicateGroupDto, DuplicateGroupSummaryDto } from '../../../shared/contract/review'
import { api } from '../../api/client'
import { formatBytes } from '../../components/format'
import { reviewSlice, type ReviewQueue, type ReviewState } from '../review/review.store'

/** Photos compared side by side at most (1–4 select them). */
export const MAX_COMPARED = 4

interface DuplicatesState extends ReviewState<DuplicateGroupSummaryDto, DuplicateGroupDto> {
  /** Synced zoom of the compare view (1 = fit). */
  readonly zoom: number
  setZoom(zoom: number): void
  chooseKeeper(photoId: number): Promise<void>
}

const groupQueue: ReviewQueue<DuplicateGroupSummaryDto, DuplicateGroupDto> = {
  list: (limit) => api().review.duplicateGroups({ status: 'open', limit }),
  get: (id) => api().review.duplicateGroup({ id }),
  setRole: (groupId, photoId, role) => api().review.setDuplicateRole({ groupId, photoId, role }),
  dismiss: (groupId) => api().review.dismissDuplicates({ groupId }),
  resolve: (selection) => api().review.resolveDuplicates(selection),
  reachable: (group) => Math.min(MAX_COMPARED, group.members.length),
  messages: {
    dismissed: 'Marked as not duplicates: this group will not come back. Ctrl+Z undoes.',
    resolved: (result) =>
      `Resolved ${result.summary.groups} group(s): ${result.moved.length} file(s) moved, ` +
      `${formatBytes(result.moved.reduce((n, m) => n + m.bytes, 0))} freed. Ctrl+Z undoes.`,
    undone: (result) =>
      `Undone: ${result.decision.summary}` +
      (result.restored.length > 0 ? ` — ${result.restored.length} file(s) restored` : '') +
      (result.manual.length > 0 ? ` — ${result.manual.length} need manual restore` : ''),
  },
}

export const useDuplicatesStore = create<DuplicatesState>()((set, get) => ({
  ...reviewSlice(groupQueue, set, get),
  zoom: 1,
  setZoom(zoom) {
    set({ zoom: Math.min(8, Math.max(1, zoom)) })
  },
  async chooseKeeper(photoId) {
    await get().decide((groupId) => api().review.chooseKeeper({ groupId, photoId }))
  },
}))
