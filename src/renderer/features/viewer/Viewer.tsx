import { useEffect, useRef, useState } from 'react'
import { originalUrl, mediaUrl } from '../../api/client'
import { useLibraryStore } from '../library/library.store'

/**
 * The viewer: the 1024 px preview fitted to the window; "zoom" (Z, click or the button) loads the
 * original at 100% in a scrollable pane. ←/→ step through the grid's current query, Esc closes.
 */
export function Viewer() {
  const index = useLibraryStore((s) => s.viewerIndex)
  const photo = useLibraryStore((s) =>
    s.viewerIndex === null ? undefined : s.cache.get(s.viewerIndex),
  )
  const total = useLibraryStore((s) => s.total ?? 0)
  // Zoom belongs to one photo: stepping to the next one shows its fitted preview again.
  const [zoomedId, setZoomedId] = useState<number | null>(null)
  const [previewFailed, setPreviewFailed] = useState<number | null>(null)
  const root = useRef<HTMLDivElement>(null)

  useEffect(() => {
    root.current?.focus()
  }, [index])
  if (index === null) return null
  const zoomed = photo !== undefined && zoomedId === photo.id
  const toggleZoom = () => setZoomedId(zoomed || !photo ? null : photo.id)
  const store = useLibraryStore.getState()
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') store.openViewer(null)
    else if (e.key === 'ArrowRight' && index < total - 1) store.openViewer(index + 1)
    else if (e.key === 'ArrowLeft' && index > 0) store.openViewer(index - 1)
    else if (e.key === 'z' || e.key === 'Z') toggleZoom()
    else return
    e.preventDefault()
    e.stopPropagation()
  }
  return (
    <div
      className="viewer"
      ref={root}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      data-testid="viewer"
      role="dialog"
      aria-label="Viewer"
    >
      <div className="viewer-bar">
        <span className="viewer-title">{photo?.name ?? '…'}</span>
        <span className="muted">
          {index + 1} / {total.toLocaleString()}
        </span>
        <button onClick={() => toggleZoom()} data-testid="viewer-zoom">
          {zoomed ? 'Fit' : 'Zoom to original'}
        </button>
        <button onClick={() => store.openViewer(null)} aria-label="Close viewer">
          ✕
        </button>
      </div>
      <div className={`viewer-stage ${zoomed ? 'zoomed' : ''}`} onClick={() => toggleZoom()}>
        {photo &&
          (zoomed ? (
            <img src={originalUrl(photo.id)} alt={photo.name} data-testid="viewer-original" />
          ) : previewFailed === photo.id ? (
            <div className="viewer-missing">No preview yet: run Analyze to make one.</div>
          ) : (
            <img
              src={mediaUrl(photo.id, 1024)}
              alt={photo.name}
              data-testid="viewer-preview"
              onError={() => setPreviewFailed(photo.id)}
            />
          ))}
      </div>
    </div>
  )
}
