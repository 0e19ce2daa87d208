import type { Engine } from '../core/engine'
import { mediaRequestOf, type MediaRequest, type ThumbSize } from '../core/media/media-lookup'

/*
 * The web host's /media/ route: its URL format only. Which file answers a request is
 * src/core/media/media-lookup.ts, shared with the desktop app's vam-media:// protocol.
 */

/** Finds the cached thumbnail file of a photo, or null when there is none (not analysed yet). */
export type ThumbnailResolver = (engine: Engine, photoId: number, size: ThumbSize) => string | null

/**
 * Parses `/media/thumb/<id>?size=256|1024` and `/media/original/<id>`. Ids only, never paths:
 * anything else (a path, a negative or huge id, another size) is null → 400.
 */
export function parseMediaRequest(url: URL): MediaRequest | null {
  const match = /^\/media\/(thumb|original)\/([1-9][0-9]{0,14})$/.exec(url.pathname)
  if (!match?.[1] || !match[2]) return null
  const kind = match[1] === 'original' ? 'original' : 'thumb'
  return mediaRequestOf(kind, match[2], url.searchParams.get('size'))
}
