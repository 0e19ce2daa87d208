import { mediaUrl } from '../../api/client'
import { formatBytes, formatDate } from '../../components/format'
import { ResolveDialog } from '../review/ResolveDialog'
import { ReviewEmpty } from '../review/ReviewEmpty'
import { ReviewList } from '../review/ReviewList'
import { ReviewToolbar } from '../review/ReviewToolbar'
import { useReviewQueue, useReviewQueueKeys } from '../review/use-review-page'
import { useBurstsStore } from './bursts.store'

/**
 * Burst review: a filmstrip per burst with the best frame marked and its score; choose another
 * (B), keep/remove frames, "keep best, remove the rest" (Enter), "not a burst" (N), undo.
 */
export function BurstsPage() {
  const s = useReviewQueue(useBurstsStore)
  const store = useBurstsStore.getState()

  const frames = s.current?.members ?? []
  const activeFrame = frames[s.active]
  useReviewQueueKeys(store, activeFrame, { best: (photoId) => void store.makeBest(photoId) })

  if (!s.loading && s.items.length === 0) {
    return (
      <ReviewEmpty
        pageTestId="bursts-page"
        testId="bursts-empty"
        title="No bursts to review"
        job="bursts"
        jobLabel="Find bursts"
      >
        <p>
          Run Analyze, then Find bursts, to group frames shot within a second or two by the same
          camera.
        </p>
      </ReviewEmpty>
    )
  }
  const preview = activeFrame ?? frames[0]
  return (
    <div className="review-page" data-testid="bursts-page">
      <ReviewList
        label="Bursts"
        noun="bursts"
        total={s.total}
        items={s.items}
        index={s.index}
        itemTestId="burst-item"
        thumbOf={(b) => b.bestPhotoId}
        labelOf={(b) => ({
          title: `${b.memberCount} frames`,
          fact: b.camera,
          note: formatDate(b.startAt),
        })}
        onSelect={(i) => void store.select(i)}
        resolveAllLabel="Keep best of all…"
        onResolveAll={() => void store.prepareResolve('all')}
      />
      <section className="review-main">
        <ReviewToolbar
          hints="←/→ bursts · 1–9 select · B best · K keep · X remove · N not a burst · Enter apply · Ctrl+Z undo"
          error={s.error}
          dismissLabel="Not a burst"
          applyLabel="Keep best, remove the rest"
          applyTestId="apply-burst"
          onUndo={() => void store.undo()}
          onDismiss={() => void store.dismiss()}
          onApply={() => void store.prepareResolve('current')}
        />
        {s.current && <p className="muted">{s.current.bestReason}</p>}
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
        <ResolveDialog
          pending={s.pending}
          titles={{
            current: 'Keep the best frame, remove the rest?',
            all: 'Keep the best frame of every burst?',
          }}
          onConfirm={() => void store.confirmResolve()}
          onCancel={() => store.cancelResolve()}
        >
          <p>
            {s.pending.summary.groups} burst(s): {s.pending.summary.files} file(s),{' '}
            {formatBytes(s.pending.summary.bytes)} will move to the trash (or the quarantine
            folder). Undo brings them back.
          </p>
        </ResolveDialog>
      )}
    </div>
  )
}
