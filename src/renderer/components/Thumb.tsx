import { memo, useState } from 'react'
import { mediaUrl, type ThumbSize } from '../api/client'

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
