import { useRef } from 'react'
import { formatBytes } from '../../components/format'
import { ResolveDialog } from '../review/ResolveDialog'
import { ReviewEmpty } from '../review/ReviewEmpty'
import { ReviewList } from '../review/ReviewList'
import { ReviewToolbar } from '../review/ReviewToolbar'
import { useReviewQueue, useReviewQueueKeys } from '../review/use-review-page'
import { CompareColumn } from './CompareColumn'
import { MAX_COMPARED, useDuplicatesStore } from './duplicates.store'

/**
 * Duplicate review: the open groups on the left, the selected group's members side by side with
 * synced zoom and highlighted differences, keep/remove per photo, resolve one or all (after a
 * summary and confirmation), "not duplicates", undo. Fully keyboard-drivable.
 */
export function DuplicatesPage() {
  const s = useReviewQueue(useDuplicatesStore)
  const zoom = useDuplicatesStore((st) => st.zoom)
  const store = useDuplicatesStore.getState()
  const scrollers = useRef<(HTMLDivElement | null)[]>([])
  const syncing = useRef(false)

  const members = s.current?.members.slice(0, MAX_COMPARED) ?? []
  const activeMember = members[s.active]
  useReviewQueueKeys(store, activeMember, {
    best: (photoId) => void store.chooseKeeper(photoId),
    zoom: (delta) => store.setZoom(zoom * (delta > 0 ? 1.5 : 1 / 1.5)),
  })

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

  if (!s.loading && s.items.length === 0) {
    return (
      <ReviewEmpty
        pageTestId="duplicates-page"
        testId="duplicates-empty"
        title="No duplicate groups to review"
        job="duplicates"
        jobLabel="Find duplicates"
      >
        <p>Run Analyze, then Find duplicates, to look for exact copies and near duplicates.</p>
      </ReviewEmpty>
    )
  }

  const reference = members.find((m) => m.suggested === 'keep') ?? members[0]
  return (
    <div className="review-page" data-testid="duplicates-page">
      <ReviewList
        label="Duplicate groups"
        noun="groups"
        total={s.total}
        items={s.items}
        index={s.index}
        itemTestId="duplicate-group"
        thumbOf={(g) => g.representative}
        labelOf={(g) => ({
          title: g.kind === 'exact' ? 'Exact copies' : 'Near duplicates',
          fact: `${g.memberCount} photos`,
          note: `${formatBytes(g.bytesReclaimable)} reclaimable`,
        })}
        onSelect={(i) => void store.select(i)}
        resolveAllLabel="Resolve all…"
        resolveAllTestId="resolve-all"
        onResolveAll={() => void store.prepareResolve('all')}
      />
      <section className="review-main">
        <ReviewToolbar
          hints={
            `Group ${s.index + 1} of ${s.items.length} · ←/→ groups · 1–4 select · K keep · ` +
            'X remove · N not duplicates · Enter apply · Ctrl+Z undo'
          }
          error={s.error}
          dismissLabel="Not duplicates"
          dismissTestId="not-duplicates"
          applyLabel="Apply group"
          applyTestId="apply-group"
          onUndo={() => void store.undo()}
          onDismiss={() => void store.dismiss()}
          onApply={() => void store.prepareResolve('current')}
        >
          <label className="muted">
            Zoom{' '}
            <input
              type="range"
              min={1}
              max={8}
              step={0.25}
              value={zoom}
              aria-label="Zoom"
              onChange={(e) => store.setZoom(Number(e.target.value))}
            />
          </label>
        </ReviewToolbar>
        {s.current && (
          <>
            <p className="muted keeper-reason">{s.current.keeperReason}</p>
            <div className="compare" data-testid="compare">
              {members.map((m, i) => (
                <CompareColumn
                  key={m.photoId}
                  member={m}
                  reference={reference ?? m}
                  slot={i + 1}
                  active={i === s.active}
                  zoom={zoom}
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
            {s.current.members.length > MAX_COMPARED && (
              <p className="muted">
                {s.current.members.length - MAX_COMPARED} more photos in this group follow their
                suggestion when it is applied.
              </p>
            )}
          </>
        )}
      </section>
      {s.pending && (
        <ResolveDialog
          pending={s.pending}
          titles={{ current: 'Apply this group?', all: 'Resolve all open groups?' }}
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
        </ResolveDialog>
      )}
    </div>
  )
}
