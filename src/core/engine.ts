import os from 'node:os'
import { openCatalog, type Catalog, type OpenCatalogOptions } from './catalog/open-catalog'
import { SettingsRepository } from './catalog/repositories/settings.repository'
import { EventHub } from './events'
import { JOB_HANDLERS } from './jobs/handlers'
import { JobEngine } from './jobs/job-engine'
import { nodeSpawnWorker } from './jobs/node-worker-spawn'
import type { SpawnWorker } from './jobs/worker-protocol'
import { WorkerPool, defaultWorkerCount } from './jobs/worker-pool'

/**
 * Host hooks: what differs between Electron, the web host, the CLI and tests. Everything else is
 * the same engine.
 */
export interface EngineHost {
  /** How worker processes start (default: Node child processes). */
  readonly spawnWorker?: SpawnWorker
  /** Moves a file to the OS trash; absent means the quarantine folder beside the catalog. */
  readonly trashItem?: (path: string) => Promise<void>
  readonly workerCount?: number
  readonly log?: (message: string) => void
}

/** The running engine: one open catalog, its job engine, worker pool and event bus. */
export interface Engine {
  readonly catalog: Catalog
  readonly jobs: JobEngine
  readonly pool: WorkerPool
  readonly events: EventHub
  readonly host: EngineHost
  readonly settings: SettingsRepository
  /** Stops jobs (they become resumable), workers, and closes the catalog (WAL checkpointed). */
  close(): Promise<void>
}

export async function openEngine(
  catalogFile: string,
  host: EngineHost = {},
  catalogOptions: OpenCatalogOptions = {},
): Promise<Engine> {
  const catalog = await openCatalog(catalogFile, catalogOptions)
  const settings = new SettingsRepository(catalog.db)
  const events = new EventHub()
  const pool = new WorkerPool({
    spawn: host.spawnWorker ?? nodeSpawnWorker(),
    size: host.workerCount ?? defaultWorkerCount(os.availableParallelism(), settings.getAll().workerCount),
    log: host.log,
  })
  const jobs = new JobEngine({
    db: catalog.db,
    paths: catalog.paths,
    pool,
    events,
    handlers: JOB_HANDLERS,
    settings: () => settings.getAll(),
  })
  let closed = false
  return {
    catalog,
    jobs,
    pool,
    events,
    host,
    settings,
    async close() {
      if (closed) return
      closed = true
      await jobs.shutdown()
      await pool.close()
      catalog.close()
    },
  }
}
