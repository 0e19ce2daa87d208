import type { Database } from 'better-sqlite3'
import type { ItemErrorCode, JobKind, JobOf, LogLevel } from '../../shared/jobs'
import type { Settings } from '../../shared/settings'
import type { CatalogPaths } from '../catalog/paths'
import type { WorkerPool } from './worker-pool'

/** A per-item failure: recorded in item_errors and counted as failed; the job goes on. */
export interface ItemFailure {
  readonly photoId?: number | null
  readonly path: string
  readonly stage: string
  readonly code: ItemErrorCode
  readonly message: string
}

/**
 * What a running job sees. Count an item (itemDone/itemSkipped/itemFailed) in the same batch
 * whose writes the next checkpoint commits: counters are persisted with that batch, so after a
 * crash they agree with the rows. Handlers must call `checkpoint()` between batches: it is where pause
 * blocks and cancel throws (so cancel lands within one batch, well under a second), and where
 * progress is persisted with the handler's resume cursor in the same transaction as its writes.
 */
export interface JobContext<K extends JobKind = JobKind> {
  readonly jobId: number
  readonly params: JobOf<K>
  /** The cursor saved by the last `checkpoint` of an earlier run (resume), or null. */
  readonly resumeCursor: string | null
  readonly db: Database
  readonly paths: CatalogPaths
  readonly settings: Settings
  readonly pool: WorkerPool
  /** Aborted on cancel (and on pause, so long waits can stop early; checkpoint tells which). */
  readonly signal: AbortSignal
  setTotal(total: number): void
  addTotal(count: number): void
  /** Label of the item being worked on (shown in the job panel). */
  setCurrent(label: string | null): void
  itemDone(count?: number): void
  itemSkipped(count?: number): void
  /** Records the error (item_errors + a log line) and counts the item as failed. */
  itemFailed(failure: ItemFailure): void
  log(level: LogLevel, message: string): void
  /**
   * Runs `write` (the batch's catalog writes) in one transaction together with the job's counters,
   * pending item errors and the resume cursor; then blocks while paused and throws
   * `JobCancelledError` when cancelled.
   */
  checkpoint(cursor: string | null, write?: () => void): Promise<void>
  /** Tells hosts that catalog rows changed (grid refresh), throttled. */
  catalogChanged(reason: string): void
}

/** A job kind's implementation. Throwing fails the job; per-item problems use `itemFailed`. */
export interface JobHandler<K extends JobKind = JobKind> {
  readonly kind: K
  run(ctx: JobContext<K>): Promise<void>
}

/** Thrown by `checkpoint` when the job was cancelled or paused for shutdown. */
export class JobCancelledError extends Error {
  constructor(readonly reason: 'cancelled' | 'shutdown') {
    super(`job ${reason}`)
    this.name = 'JobCancelledError'
  }
}
