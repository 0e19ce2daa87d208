import { create } from 'zustand'
import type {
  DuplicateGroupDto,
  DuplicateGroupSummaryDto,
  MemberRole,
  ResolutionSummary,
} from '../../../shared/contract/review'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { useUiStore } from '../../app/ui.store'
import { formatBytes } from '../../components/format'

/** Groups listed at once; the list pages further on demand. */
const LIST_LIMIT = 200

/** A resolution waiting for the user's confirmation (its summary came from a dry run). */
export interface PendingResolution {
  readonly scope: 'group' | 'all'
  readonly groupId: number | null
  readonly summary: ResolutionSummary
}

interface DuplicatesState {
  readonly groups: readonly DuplicateGroupSummaryDto[]
  readonly total: number
  readonly index: number
  readonly group: DuplicateGroupDto | null
  /** The member under the keyboard (0-based, among the compared ones). */
  readonly active: number
  /** Synced zoom of the compare view (1 = fit). */
  readonly zoom: number
  readonly pending: PendingResolution | null
  readonly loading: boolean
  readonly error: string | null
  load(): Promise<void>
  select(index: number): Promise<void>
  step(delta: number): void
  setActive(index: number): void
  setZoom(zoom: number): void
  setRole(photoId: number, role: MemberRole): Promise<void>
  chooseKeeper(photoId: number): Promise<void>
  notDuplicates(): Promise<void>
  /** Dry run first: the summary is shown for confirmation. */
  prepareResolve(scope: 'group' | 'all'): Promise<void>
  confirmResolve(): Promise<void>
  cancelResolve(): void
  undo(): Promise<void>
}

function notify(text: string, kind: 'info' | 'error' = 'info') {
  useUiStore.getState().notify(text, kind)
}

export const useDuplicatesStore = create<DuplicatesState>()((set, get) => {
  const run = async (work: () => Promise<void>) => {
    try {
      await work()
    } catch (error) {
      set({ error: errorMessage(error), loading: false })
      notify(errorMessage(error), 'error')
    }
  }
  return {
    groups: [],
    total: 0,
    index: 0,
    group: null,
    active: 0,
    zoom: 1,
    pending: null,
    loading: true,
    error: null,
    async load() {
      await run(async () => {
        const page = await api().review.duplicateGroups({ status: 'open', limit: LIST_LIMIT })
        const index = Math.min(get().index, Math.max(0, page.items.length - 1))
        set({ groups: page.items, total: page.total, index, loading: false, error: null })
        await get().select(index)
      })
    },
    async select(index) {
      const summary = get().groups[index]
      set({ index, active: 0 })
      if (!summary) {
        set({ group: null })
        return
      }
      await run(async () => {
        const group = await api().review.duplicateGroup({ id: summary.id })
        if (get().groups[get().index]?.id === summary.id) set({ group })
      })
    },
    step(delta) {
      const next = get().index + delta
      if (next >= 0 && next < get().groups.length) void get().select(next)
    },
    setActive(active) {
      const count = Math.min(4, get().group?.members.length ?? 0)
      if (active >= 0 && active < count) set({ active })
    },
    setZoom(zoom) {
      set({ zoom: Math.min(8, Math.max(1, zoom)) })
    },
    async setRole(photoId, role) {
      const group = get().group
      if (!group) return
      await run(async () =>
        set({ group: await api().review.setDuplicateRole({ groupId: group.id, photoId, role }) }),
      )
    },
    async chooseKeeper(photoId) {
      const group = get().group
      if (!group) return
      await run(async () =>
        set({ group: await api().review.chooseKeeper({ groupId: group.id, photoId }) }),
      )
    },
    async notDuplicates() {
      const group = get().group
      if (!group) return
      await run(async () => {
        await api().review.dismissDuplicates({ groupId: group.id })
        notify('Marked as not duplicates: this group will not come back. Ctrl+Z undoes.')
        await get().load()
      })
    },
    async prepareResolve(scope) {
      const group = get().group
      if (scope === 'group' && !group) return
      await run(async () => {
        const ids = scope === 'group' && group ? [group.id] : undefined
        const result = await api().review.resolveDuplicates({
          ids,
          all: scope === 'all',
          confirm: false,
        })
        set({ pending: { scope, groupId: group?.id ?? null, summary: result.summary } })
      })
    },
    async confirmResolve() {
      const pending = get().pending
      if (!pending) return
      set({ pending: null })
      await run(async () => {
        const ids =
          pending.scope === 'group' && pending.groupId !== null ? [pending.groupId] : undefined
        const result = await api().review.resolveDuplicates({
          ids,
          all: pending.scope === 'all',
          confirm: true,
        })
        notify(
          `Resolved ${result.summary.groups} group(s): ${result.moved.length} file(s) moved, ` +
            `${formatBytes(result.moved.reduce((n, m) => n + m.bytes, 0))} freed. Ctrl+Z undoes.`,
        )
        await get().load()
      })
    },
    cancelResolve() {
      set({ pending: null })
    },
    async undo() {
      await run(async () => {
        const result = await api().review.undo({})
        notify(
          `Undone: ${result.decision.summary}` +
            (result.restored.length > 0 ? ` — ${result.restored.length} file(s) restored` : '') +
            (result.manual.length > 0 ? ` — ${result.manual.length} need manual restore` : ''),
        )
        await get().load()
      })
    },
  }
})
