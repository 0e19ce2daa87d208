import type { VamImpl } from '../shared/contract'
import type { Engine } from './engine'
import { createCatalogService } from './services/catalog.service'
import { createHealthService } from './services/health.service'
import { createJobsService } from './services/jobs.service'
import { createMapService } from './services/map.service'
import { createPhotosService } from './services/photos.service'
import { createReviewService } from './services/review.service'
import { createSearchService } from './services/search.service'

/**
 * The contract's implementation over the engine: what every host (Electron IPC, web host, CLI)
 * calls. A feature adds its service factory and one line here.
 */
export function createVamService(engine: Engine): VamImpl {
  return {
    catalog: createCatalogService(engine),
    health: createHealthService(engine),
    jobs: createJobsService(engine),
    map: createMapService(engine),
    photos: createPhotosService(engine),
    review: createReviewService(engine),
    search: createSearchService(engine),
  }
}

/**
 * Calls `service.method` with an unvalidated argument: parses it with the contract's schema first.
 * Hosts use this at their boundary (IPC, HTTP) so bad input is a typed error, never a crash.
 */
export { invokeMethod } from './invoke'
