import { useEffect, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { mediaUrl } from '../../api/client'
import { CATALOG_LISTENERS } from '../../app/events'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { EmptyState } from '../../components/EmptyState'
import { formatBytes } from '../../components/format'
import { useReviewKeys } from '../../components/review-keys'
import { useJobsStore } from '../jobs/jobs.store'
import { CompareColumn } from './CompareColumn'
import { useDuplicatesStore } from './duplicates.store'

/** Photos compared side by side at most (1–4 select them). */
const MAX_COMPARED = 4

/**
 * Duplicate review: the open groups on the left, the selected group's members side by side with
 * synced zoom and highlighted differences, keep/remove per photo, resolve one or all (after a
 * summary and confirmation), "not duplicates", undo. Fully keyboard-drivable.
 */
export function DuplicatesPage() {
  const s = useDuplicatesStore(
    useShallow((st) => ({
      groups: st.groups,
      total: st.total,
      index: st.index,
      group: st.group,
      active: st.active,
      zoom: st.zoom,
      pending: st.pending,
      loading: st.loading,
      error: st.error,
    })),
  )
  const store = useDuplicatesStore.getState()
  const scrollers = useRef<(HTMLDivElement | null)[]>([])
  const syncing = useRef(false)

  useEffect(() => {
    void useDuplicatesStore.getState().load()
    const refresh = () => void useDuplicatesStore.getState().load()
    CATALOG_LISTENERS.add(refresh)
    return () => {
      CATALOG_LISTENERS.delete(refresh)
    }
  }, [])

  const members = s.group?.members.slice(0, MAX_COMPARED) ?? []
  const activeMember = members[s.active]
  useReviewKeys((action) => {
    switch (action.kind) {
      case 'prev':
        return store.step(-1)
      case 'next':
        return store.step(1)
      case 'select':
        return store.setActive(action.slot - 1)
      case 'keep':
        return activeMember && void store.setRole(activeMember.photoId, 'keep')
      case 'remove':
        return activeMember && void store.setRole(activeMember.photoId, 'remove')
      case 'not':
        return void store.notDuplicates()
      case 'apply':
        return void store.prepareResolve('group')
      case 'undo':
        return void store.undo()
      case 'zoom':
        return store.setZoom(s.zoom * (action.delta > 0 ? 1.5 : 1 / 1.5))
      case 'best':
        return activeMember && void store.chooseKeeper(activeMember.photoId)
    }
  }, true)

  // Synced zoom: scrolling one image scrolls the others to the same relative position.
  const onScroll = (from: HTMLDivElement) => {
    if (syncing.current) return
    syncing.current = true
    const fx = from.scrollLeft / Math.max(1, from.scrollWidth - from.clientWidth)
    const fy = from.scrollTop / Math.max(1, from.scrollHeight - from.clientHeight)
    for (const el of scrollers.current) {
      if (!el || el === from) continue
      el.scrollLeft = fx * (el.scrollWidth - el.clientWidth)
      el.scrollTop = fy * (el.scrollHeight - el.clientHeight)
    }
    requestAnimationFrame(() => (syncing.current = false))
  }

  if (!s.loading && s.groups.length === 0) {
    return (
      <div className="page" data-testid="duplicates-page">
        <EmptyState title="No duplicate groups to review" testId="duplicates-empty">
          <p>Run Analyze, then Find duplicates, to look for exact copies and near duplicates.</p>
          <button onClick={() => void useJobsStore.getState().start({ kind: 'duplicates' })}>
            Find duplicates
          </button>
        </EmptyState>
      </div>
    )
  }

  const reference = members.find((m) => m.suggested === 'keep') ?? members[0]
  return (
    <div className="review-page" data-testid="duplicates-page">
      <aside className="review-list" aria-label="Duplicate groups">
        <div className="review-list-head">
          {s.total.toLocaleString()} open groups
          <button onClick={() => void store.prepareResolve('all')} data-testid="resolve-all">
            Resolve all…
          </button>
        </div>
        <ul>
          {s.groups.map((g, i) => (
            <li key={g.id}>
              <button
                className={`review-item ${i === s.index ? 'current' : ''}`}
                onClick={() => void store.select(i)}
                data-testid="duplicate-group"
              >
                {g.representative !== null && <img src={mediaUrl(g.representative, 256)} alt="" />}
                <span>
                  <b>{g.kind === 'exact' ? 'Exact copies' : 'Near duplicates'}</b> · {g.memberCount}{' '}
                  photos
                  <br />
                  <span className="muted">{formatBytes(g.bytesReclaimable)} reclaimable</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <section className="review-main">
        <div className="review-toolbar">
          <span className="muted">
            Group {s.index + 1} of {s.groups.length} · ←/→ groups · 1–4 select · K keep · X remove ·
            N not duplicates · Enter apply · Ctrl+Z undo
          </span>
          <span className="spacer" />
          <label className="muted">
            Zoom{' '}
            <input
              type="range"
              min={1}
              max={8}
              step={0.25}
              value={s.zoom}
              aria-label="Zoom"
              onChange={(e) => store.setZoom(Number(e.target.value))}
            />
          </label>
          <button onClick={() => void store.undo()}>Undo</button>
          <button onClick={() => void store.notDuplicates()} data-testid="not-duplicates">
            Not duplicates
          </button>
          <button
            className="primary"
            onClick={() => void store.prepareResolve('group')}
            data-testid="apply-group"
          >
            Apply group
          </button>
        </div>
        {s.error && <p className="error-text">{s.error}</p>}
        {s.group && (
          <>
            <p className="muted keeper-reason">{s.group.keeperReason}</p>
            <div className="compare" data-testid="compare">
              {members.map((m, i) => (
                <CompareColumn
                  key={m.photoId}
                  member={m}
                  reference={reference ?? m}
                  slot={i + 1}
                  active={i === s.active}
                  zoom={s.zoom}
                  registerScroller={(el) => {
                    scrollers.current[i] = el
                  }}
                  onScroll={onScroll}
                  onActivate={() => store.setActive(i)}
                  onKeep={() => void store.setRole(m.photoId, 'keep')}
                  onRemove={() => void store.setRole(m.photoId, 'remove')}
                  onKeeper={() => void store.chooseKeeper(m.photoId)}
                />
              ))}
            </div>
            {s.group.members.length > MAX_COMPARED && (
              <p className="muted">
                {s.group.members.length - MAX_COMPARED} more photos in this group follow their
                suggestion when it is applied.
              </p>
            )}
          </>
        )}
      </section>
      {s.pending && (
        <ConfirmDialog
          title={s.pending.scope === 'all' ? 'Resolve all open groups?' : 'Apply this group?'}
          confirmLabel="Move files and resolve"
          onConfirm={() => void store.confirmResolve()}
          onCancel={() => store.cancelResolve()}
        >
          <p data-testid="resolve-summary">
            {s.pending.summary.groups} group(s): {s.pending.summary.files} file(s),{' '}
            {formatBytes(s.pending.summary.bytes)} will move to the trash (or the quarantine folder
            beside the catalog). A verified catalog backup is taken first, and Undo brings them
            back.
          </p>
          {s.pending.summary.skipped.length > 0 && (
            <ul className="muted">
              {s.pending.summary.skipped.slice(0, 10).map((f) => (
                <li key={f.photoId}>
                  Kept <code>{f.path}</code>: {f.reason}
                </li>
              ))}
            </ul>
          )}
        </ConfirmDialog>
      )}
    </div>
  )
}
