import { thumbnailFileFor } from '../core/media/thumbnail-files'
import type { ThumbnailResolver } from './media'

/**
 * Where the analyze stage keeps a photo's thumbnail: the current file of that size in the
 * catalog's cache dir, or null (not analysed yet, stale version, or the file is gone → 404 and
 * the grid shows its placeholder).
 */
export const resolveThumbnail: ThumbnailResolver = (engine, photoId, size) =>
  thumbnailFileFor(engine.catalog.db, engine.catalog.paths, photoId, size)
