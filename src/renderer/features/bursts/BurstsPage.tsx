import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { mediaUrl } from '../../api/client'
import { CATALOG_LISTENERS } from '../../app/events'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { EmptyState } from '../../components/EmptyState'
import { formatBytes, formatDate } from '../../components/format'
import { useReviewKeys } from '../../components/review-keys'
import { useJobsStore } from '../jobs/jobs.store'
import { useBurstsStore } from './bursts.store'

/**
 * Burst review: a filmstrip per burst with the best frame marked and its score; choose another
 * (B), keep/remove frames, "keep best, remove the rest" (Enter), "not a burst" (N), undo.
 */
export function BurstsPage() {
  const s = useBurstsStore(
    useShallow((st) => ({
      bursts: st.bursts,
      total: st.total,
      index: st.index,
      burst: st.burst,
      active: st.active,
      pending: st.pending,
      loading: st.loading,
      error: st.error,
    })),
  )
  const store = useBurstsStore.getState()
  useEffect(() => {
    void useBurstsStore.getState().load()
    const refresh = () => void useBurstsStore.getState().load()
    CATALOG_LISTENERS.add(refresh)
    return () => {
      CATALOG_LISTENERS.delete(refresh)
    }
  }, [])

  const frames = s.burst?.members ?? []
  const activeFrame = frames[s.active]
  useReviewKeys((action) => {
    switch (action.kind) {
      case 'prev':
        return store.step(-1)
      case 'next':
        return store.step(1)
      case 'select':
        return store.setActive(action.slot - 1)
      case 'best':
        return activeFrame && void store.makeBest(activeFrame.photoId)
      case 'keep':
        return activeFrame && void store.setRole(activeFrame.photoId, 'keep')
      case 'remove':
        return activeFrame && void store.setRole(activeFrame.photoId, 'remove')
      case 'not':
        return void store.notBurst()
      case 'apply':
        return void store.prepareResolve('burst')
      case 'undo':
        return void store.undo()
      case 'zoom':
        return undefined
    }
  }, true)

  if (!s.loading && s.bursts.length === 0) {
    return (
      <div className="page" data-testid="bursts-page">
        <EmptyState title="No bursts to review" testId="bursts-empty">
          <p>
            Run Analyze, then Find bursts, to group frames shot within a second or two by the same
            camera.
          </p>
          <button onClick={() => void useJobsStore.getState().start({ kind: 'bursts' })}>
            Find bursts
          </button>
        </EmptyState>
      </div>
    )
  }
  const preview = activeFrame ?? frames[0]
  return (
    <div className="review-page" data-testid="bursts-page">
      <aside className="review-list" aria-label="Bursts">
        <div className="review-list-head">
          {s.total.toLocaleString()} open bursts
          <button onClick={() => void store.prepareResolve('all')}>Keep best of all…</button>
        </div>
        <ul>
          {s.bursts.map((b, i) => (
            <li key={b.id}>
              <button
                className={`review-item ${i === s.index ? 'current' : ''}`}
                onClick={() => void store.select(i)}
                data-testid="burst-item"
              >
                {b.bestPhotoId !== null && <img src={mediaUrl(b.bestPhotoId, 256)} alt="" />}
                <span>
                  <b>{b.memberCount} frames</b> · {b.camera}
                  <br />
                  <span className="muted">{formatDate(b.startAt)}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <section className="review-main">
        <div className="review-toolbar">
          <span className="muted">
            ←/→ bursts · 1–9 select · B best · K keep · X remove · N not a burst · Enter apply ·
            Ctrl+Z undo
          </span>
          <span className="spacer" />
          <button onClick={() => void store.undo()}>Undo</button>
          <button onClick={() => void store.notBurst()}>Not a burst</button>
          <button
            className="primary"
            onClick={() => void store.prepareResolve('burst')}
            data-testid="apply-burst"
          >
            Keep best, remove the rest
          </button>
        </div>
        {s.error && <p className="error-text">{s.error}</p>}
        {s.burst && <p className="muted">{s.burst.bestReason}</p>}
        {preview && (
          <div className="burst-preview">
            <img src={mediaUrl(preview.photoId, 1024)} alt={preview.name} />
          </div>
        )}
        <div className="filmstrip" data-testid="filmstrip">
          {frames.map((f, i) => (
            <button
              key={f.photoId}
              className={`frame ${i === s.active ? 'active' : ''} ${f.best ? 'best' : ''} ${f.keep ? '' : 'removing'}`}
              onClick={() => store.setActive(i)}
              onDoubleClick={() => void store.makeBest(f.photoId)}
              data-testid="burst-frame"
              data-best={f.best}
              title={f.path}
            >
              <img src={mediaUrl(f.photoId, 256)} alt={f.name} />
              <span className="frame-label">
                {i + 1}
                {f.best && <b> ★ best</b>} {f.score === null ? '' : `· ${Math.round(f.score)}`}
              </span>
            </button>
          ))}
        </div>
      </section>
      {s.pending && (
        <ConfirmDialog
          title={
            s.pending.scope === 'all'
              ? 'Keep the best frame of every burst?'
              : 'Keep the best frame, remove the rest?'
          }
          confirmLabel="Move files and resolve"
          onConfirm={() => void store.confirmResolve()}
          onCancel={() => store.cancelResolve()}
        >
          <p>
            {s.pending.summary.groups} burst(s): {s.pending.summary.files} file(s),{' '}
            {formatBytes(s.pending.summary.bytes)} will move to the trash (or the quarantine
            folder). Undo brings them back.
          </p>
        </ConfirmDialog>
      )}
    </div>
  )
}
