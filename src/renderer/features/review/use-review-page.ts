import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { MemberRole } from '../../../shared/contract/review'
import { CATALOG_LISTENERS } from '../../app/events'
import { useReviewKeys } from '../../components/review-keys'
import type { ReviewState } from './review.store'

/** A zustand hook over a store that holds a review queue. */
type ReviewStoreHook<Item, Detail> = {
  <U>(selector: (state: ReviewState<Item, Detail>) => U): U
  getState(): ReviewState<Item, Detail>
}

/**
 * The queue's state for a review page, re-rendering only when a field changes. The list loads on
 * mount and again on every catalog change while the page is open.
 */
export function useReviewQueue<Item, Detail>(useStore: ReviewStoreHook<Item, Detail>) {
  const { getState } = useStore
  useEffect(() => {
    const refresh = () => void getState().load()
    refresh()
    CATALOG_LISTENERS.add(refresh)
    return () => {
      CATALOG_LISTENERS.delete(refresh)
    }
  }, [getState])
  return useStore(
    useShallow((st) => ({
      items: st.items,
      total: st.total,
      index: st.index,
      current: st.current,
      active: st.active,
      pending: st.pending,
      loading: st.loading,
      error: st.error,
    })),
  )
}

/** What a page's keys do beyond the shared ones (B and +/− mean different things per page). */
export interface OwnKeys {
  best(photoId: number): void
  zoom?(delta: number): void
}

/**
 * The review keys (see review-keys.ts): ←/→ items, 1–9 select a member, K/X keep/remove the
 * member under the keyboard, N dismiss, Enter resolve the current item, Ctrl+Z undo.
 */
export function useReviewQueueKeys(
  store: Pick<
    ReviewState<unknown, unknown>,
    'step' | 'setActive' | 'setRole' | 'dismiss' | 'prepareResolve' | 'undo'
  >,
  activeMember: { readonly photoId: number } | undefined,
  own: OwnKeys,
): void {
  const role = (r: MemberRole) => activeMember && void store.setRole(activeMember.photoId, r)
  useReviewKeys((action) => {
    switch (action.kind) {
      case 'prev':
        return store.step(-1)
      case 'next':
        return store.step(1)
      case 'select':
        return store.setActive(action.slot - 1)
      case 'keep':
        return role('keep')
      case 'remove':
        return role('remove')
      case 'not':
        return void store.dismiss()
      case 'apply':
        return void store.prepareResolve('current')
      case 'undo':
        return void store.undo()
      case 'best':
        return activeMember && own.best(activeMember.photoId)
      case 'zoom':
        return own.zoom?.(action.delta)
    }
  }, true)
}
