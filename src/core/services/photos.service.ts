import type { ServiceImpl } from '../../shared/contract/define'
import type { PhotoDetail, photosContract } from '../../shared/contract/photos'
import { ItemErrorRepository } from '../catalog/repositories/item-error.repository'
import { PhotoRepository, toRecord } from '../catalog/repositories/photo.repository'
import type { Engine } from '../engine'
import {
  hashesDetailSection,
  qualityDetailSection,
  thumbnailsDetailSection,
} from './analysis-detail'
import { burstsDetailSection, duplicatesDetailSection } from './review-detail'
import { clipDetailSection } from './search.service'

/**
 * Contributes a section to a photo's detail (hashes, quality, tags, …). Features register theirs
 * in PHOTO_DETAIL_SECTIONS so the info panel and `vam show` include them.
 */
export type DetailSection = (engine: Engine, photoId: number) => unknown

export const PHOTO_DETAIL_SECTIONS: Record<string, DetailSection> = {
  bursts: burstsDetailSection,
  clip: clipDetailSection,
  duplicates: duplicatesDetailSection,
  hashes: hashesDetailSection,
  quality: qualityDetailSection,
  thumbnails: thumbnailsDetailSection,
}

export function photoDetail(engine: Engine, id: number): PhotoDetail | null {
  const row = new PhotoRepository(engine.catalog.db).get(id)
  if (!row) return null
  const extra: Record<string, unknown> = {}
  for (const [name, section] of Object.entries(PHOTO_DETAIL_SECTIONS)) {
    extra[name] = section(engine, id)
  }
  return {
    photo: toRecord(row),
    errors: new ItemErrorRepository(engine.catalog.db).forPhoto(id),
    extra,
  }
}

export function createPhotosService(engine: Engine): ServiceImpl<typeof photosContract> {
  const photos = new PhotoRepository(engine.catalog.db)
  return {
    page: (query) => photos.page(query),
    get: ({ id }) => photoDetail(engine, id),
    folders: () => photos.folders(),
    cameras: () => photos.cameras(),
  }
}
