import { existsSync } from 'node:fs'
import type { Engine } from '../core/engine'
import { PhotoRepository } from '../core/catalog/repositories/photo.repository'

/** Thumbnail sizes the analyze stage writes; nothing else is served. */
export const THUMB_SIZES = [256, 1024] as const
export type ThumbSize = (typeof THUMB_SIZES)[number]

/** Finds the cached thumbnail file of a photo, or null when there is none (not analysed yet). */
export type ThumbnailResolver = (engine: Engine, photoId: number, size: ThumbSize) => string | null

/** Formats every browser decodes natively; others get the 1024 px preview as their "original". */
const BROWSER_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif'])

export type MediaRequest =
  | { readonly kind: 'thumb'; readonly id: number; readonly size: ThumbSize }
  | { readonly kind: 'original'; readonly id: number }

/**
 * Parses `/media/thumb/<id>?size=256|1024` and `/media/original/<id>`. Ids only, never paths:
 * anything else (a path, a negative or huge id, another size) is null → 400.
 */
export function parseMediaRequest(url: URL): MediaRequest | null {
  const match = /^\/media\/(thumb|original)\/([1-9][0-9]{0,14})$/.exec(url.pathname)
  if (!match) return null
  const id = Number(match[2])
  if (!Number.isSafeInteger(id)) return null
  if (match[1] === 'original') return { kind: 'original', id }
  const sizeParam = url.searchParams.get('size') ?? '256'
  const size = THUMB_SIZES.find((s) => String(s) === sizeParam)
  return size === undefined ? null : { kind: 'thumb', id, size }
}

/**
 * The file to send for a media request, or null (404). Originals are served only for catalog
 * rows whose file still exists; non-browser formats (RAW, HEIC, TIFF, video) fall back to the
 * 1024 px preview.
 */
export function mediaFileFor(
  engine: Engine,
  request: MediaRequest,
  thumbnails: ThumbnailResolver,
): string | null {
  const existing = (file: string | null) => (file !== null && existsSync(file) ? file : null)
  if (request.kind === 'thumb') return existing(thumbnails(engine, request.id, request.size))
  const row = new PhotoRepository(engine.catalog.db).get(request.id)
  if (!row) return null
  if (row.format !== null && BROWSER_FORMATS.has(row.format) && row.missing_since === null) {
    const original = existing(row.path)
    if (original) return original
  }
  return existing(thumbnails(engine, request.id, 1024))
}
