import { BurstRepository } from '../catalog/repositories/burst.repository'
import { DuplicateRepository } from '../catalog/repositories/duplicate.repository'
import type { Engine } from '../engine'

/** Info-panel section: the duplicate groups a photo is in, with its role and why it matched. */
export function duplicatesDetailSection(engine: Engine, photoId: number): unknown {
  return new DuplicateRepository(engine.catalog.db).groupsOfPhoto(photoId)
}

/** Info-panel section: the bursts a photo is a frame of, and whether it is the best frame. */
export function burstsDetailSection(engine: Engine, photoId: number): unknown {
  return new BurstRepository(engine.catalog.db).burstsOfPhoto(photoId)
}
