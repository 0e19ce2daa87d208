import { memo, useEffect, useState } from 'react'
import { mediaUrl, type ThumbSize } from '../api/client'
import { SCROLL_SETTLE_MS, scrolledRecently } from './scroll-activity'

/**
 * A catalog thumbnail by id. Until analysis has made one the host answers 404 and the cell shows
 * the file's format instead of a broken image.
 */
export const Thumb = memo(function Thumb(props: {
  id: number
  size: ThumbSize
  alt: string
  label?: string | null
  className?: string
  /** Bumped when the catalog changed: a thumbnail that was missing is tried again. */
  epoch?: number
}) {
  const key = `${props.id}:${props.epoch ?? 0}`
  const [failedFor, setFailedFor] = useState<string | null>(null)
  // Mounted mid-scroll: wait until the cell has stayed on screen a moment (see scroll-activity).
  const [ready, setReady] = useState(() => !scrolledRecently())
  useEffect(() => {
    if (ready) return
    const timer = setTimeout(() => setReady(true), SCROLL_SETTLE_MS)
    return () => clearTimeout(timer)
  }, [ready])
  if (!ready) return <div className={`thumb-pending ${props.className ?? ''}`} />
  if (failedFor === key) {
    return (
      <div
        className={`thumb-missing ${props.className ?? ''}`}
        title="No thumbnail yet: run Analyze"
      >
        {props.label ?? '?'}
      </div>
    )
  }
  return (
    <img
      className={props.className}
      src={mediaUrl(props.id, props.size)}
      alt={props.alt}
      decoding="async"
      draggable={false}
      onError={() => setFailedFor(key)}
    />
  )
})
