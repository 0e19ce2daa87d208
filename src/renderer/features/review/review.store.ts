import type {
  MemberRole,
  PageOf,
  ResolutionSummary,
  ResolveResult,
  UndoResult,
} from '../../../shared/contract/review'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { useUiStore } from '../../app/ui.store'

/** Items (groups, bursts) listed at once; the list pages further on demand. */
const LIST_LIMIT = 200

/** Which items a resolution covers: the one on screen, or every open one. */
export type ResolveScope = 'current' | 'all'

/** A resolution waiting for the user's confirmation (its summary came from a dry run). */
export interface PendingResolution {
  readonly scope: ResolveScope
  readonly itemId: number | null
  readonly summary: ResolutionSummary
}

/** Which items to resolve, as the contract's resolve methods take it. */
export interface ResolveSelection {
  readonly ids: number[] | undefined
  readonly all: boolean
  readonly confirm: boolean
}

/**
 * How one review queue (duplicate groups, bursts) talks to the host. The queue logic — paging,
 * the member under the keyboard, dry-run-then-confirm resolution, dismiss, undo — is the same for
 * both; only these calls and messages differ.
 */
export interface ReviewQueue<Item extends { readonly id: number }, Detail> {
  /** The open items, first page. */
  list(limit: number): Promise<PageOf<Item>>
  /** One item with its members, or null when it is gone. */
  get(id: number): Promise<Detail | null>
  setRole(id: number, photoId: number, role: MemberRole): Promise<Detail>
  dismiss(id: number): Promise<unknown>
  resolve(selection: ResolveSelection): Promise<ResolveResult>
  /** Members the keyboard can reach (1–N select them). */
  reachable(detail: Detail): number
  /**
   * The member under the keyboard once an item has loaded. Absent: the first member, from the
   * moment the item is selected.
   */
  openAt?(detail: Detail | null): number
  readonly messages: {
    readonly dismissed: string
    resolved(result: ResolveResult): string
    undone(result: UndoResult): string
  }
}

/** The state and actions every review queue has; feature stores add their own on top. */
export interface ReviewState<Item, Detail> {
  readonly items: readonly Item[]
  readonly total: number
  readonly index: number
  /** The selected item with its members. */
  readonly current: Detail | null
  /** The member under the keyboard (0-based). */
  readonly active: number
  readonly pending: PendingResolution | null
  readonly loading: boolean
  readonly error: string | null
  load(): Promise<void>
  select(index: number): Promise<void>
  step(delta: number): void
  setActive(index: number): void
  setRole(photoId: number, role: MemberRole): Promise<void>
  /** Applies a decision on the current item; the host answers with the item as it is now. */
  decide(change: (id: number) => Promise<Detail>): Promise<void>
  /** "Not duplicates" / "not a burst". */
  dismiss(): Promise<void>
  /** Dry run first: the summary is shown for confirmation. */
  prepareResolve(scope: ResolveScope): Promise<void>
  confirmResolve(): Promise<void>
  cancelResolve(): void
  undo(): Promise<void>
}

function notify(text: string, kind: 'info' | 'error' = 'info') {
  useUiStore.getState().notify(text, kind)
}

/**
 * The shared part of a review store, for `create()((set, get) => ({ ...reviewSlice(queue, set,
 * get), ...own }))`. Errors become the page's error line and a toast.
 */
export function reviewSlice<
  Item extends { readonly id: number },
  Detail extends { readonly id: number },
>(
  queue: ReviewQueue<Item, Detail>,
  set: (patch: Partial<ReviewState<Item, Detail>>) => void,
  get: () => ReviewState<Item, Detail>,
): ReviewState<Item, Detail> {
  const run = async (work: () => Promise<void>) => {
    try {
      await work()
    } catch (error) {
      set({ error: errorMessage(error), loading: false })
      notify(errorMessage(error), 'error')
    }
  }
  return {
    items: [],
    total: 0,
    index: 0,
    current: null,
    active: 0,
    pending: null,
    loading: true,
    error: null,
    async load() {
      await run(async () => {
        const page = await queue.list(LIST_LIMIT)
        const index = Math.min(get().index, Math.max(0, page.items.length - 1))
        set({ items: page.items, total: page.total, index, loading: false, error: null })
        await get().select(index)
      })
    },
    async select(index) {
      const summary = get().items[index]
      set(queue.openAt ? { index } : { index, active: 0 })
      if (!summary) {
        set({ current: null })
        return
      }
      await run(async () => {
        const current = await queue.get(summary.id)
        if (get().items[get().index]?.id !== summary.id) return
        set(queue.openAt ? { current, active: queue.openAt(current) } : { current })
      })
    },
    step(delta) {
      const next = get().index + delta
      if (next >= 0 && next < get().items.length) void get().select(next)
    },
    setActive(active) {
      const current = get().current
      const count = current ? queue.reachable(current) : 0
      if (active >= 0 && active < count) set({ active })
    },
    async setRole(photoId, role) {
      await get().decide((id) => queue.setRole(id, photoId, role))
    },
    async decide(change) {
      const current = get().current
      if (!current) return
      await run(async () => set({ current: await change(current.id) }))
    },
    async dismiss() {
      const current = get().current
      if (!current) return
      await run(async () => {
        await queue.dismiss(current.id)
        notify(queue.messages.dismissed)
        await get().load()
      })
    },
    async prepareResolve(scope) {
      const current = get().current
      if (scope === 'current' && !current) return
      await run(async () => {
        const ids = scope === 'current' && current ? [current.id] : undefined
        const result = await queue.resolve({ ids, all: scope === 'all', confirm: false })
        set({ pending: { scope, itemId: current?.id ?? null, summary: result.summary } })
      })
    },
    async confirmResolve() {
      const pending = get().pending
      if (!pending) return
      set({ pending: null })
      await run(async () => {
        const ids =
          pending.scope === 'current' && pending.itemId !== null ? [pending.itemId] : undefined
        const result = await queue.resolve({ ids, all: pending.scope === 'all', confirm: true })
        notify(queue.messages.resolved(result))
        await get().load()
      })
    },
    cancelResolve() {
      set({ pending: null })
    },
    async undo() {
      await run(async () => {
        const result = await api().review.undo({})
        notify(queue.messages.undone(result))
        await get().load()
      })
    },
  }
}
