import type { Database } from 'better-sqlite3'
import { strictAssert } from '../../shared/assert'
import type { JobDto, JobKind, JobParams, JobState, LogLevel } from '../../shared/jobs'
import { TERMINAL_JOB_STATES } from '../../shared/jobs'
import type { Settings } from '../../shared/settings'
import type { CatalogPaths } from '../catalog/paths'
import { ItemErrorRepository, type NewItemError } from '../catalog/repositories/item-error.repository'
import { JobRepository, jobRowToDto, type JobRow } from '../catalog/repositories/job.repository'
import type { EventHub } from '../events'
import { JobCancelledError, type ItemFailure, type JobContext, type JobHandler } from './job-handler'
import { ProgressMeter } from './progress-meter'
import type { WorkerPool } from './worker-pool'

/** Progress events per job are throttled to this interval (≤ 10/s). */
const PROGRESS_INTERVAL_MS = 100

export interface JobEngineOptions {
  readonly db: Database
  readonly paths: CatalogPaths
  readonly pool: WorkerPool
  readonly events: EventHub
  readonly handlers: Partial<{ readonly [K in JobKind]: JobHandler<K> }>
  readonly settings: () => Settings
  /** Jobs run at once (the plan's parallel mode raises it). */
  readonly maxConcurrent?: number
  readonly now?: () => number
  /** Whether a job's owner process still runs (default: signal 0 probe). */
  readonly isProcessAlive?: (pid: number) => boolean
}

/** A pid that is this process never owns a job at construction time: it was a previous run. */
function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

interface RunningJob {
  readonly id: number
  readonly controller: AbortController
  readonly meter: ProgressMeter
  readonly done: Promise<void>
  counters: { total: number; done: number; failed: number; skipped: number }
  currentItem: string | null
  /** 'pause' or 'shutdown' or 'cancel' requested by a host. */
  request: 'pause' | 'cancel' | 'shutdown' | null
  resumeWaiters: (() => void)[]
  pendingErrors: NewItemError[]
  pendingLogs: { level: LogLevel; message: string; at: string }[]
  activeMsBefore: number
  runningSince: number
  pausedAt: number | null
  lastEmit: number
}

/**
 * Runs jobs persisted in the catalog. States: queued → running ⇄ paused → completed | failed |
 * cancelled; a process that dies leaves `interrupted` jobs (marked on the next open) that resume
 * from their saved cursor. Handlers do the work; the engine owns state, counters, errors and logs.
 */
export class JobEngine {
  private readonly jobs: JobRepository
  private readonly errors: ItemErrorRepository
  private readonly running = new Map<number, RunningJob>()
  private readonly finishWaiters = new Map<number, ((job: JobDto) => void)[]>()
  private maxConcurrent: number
  private closing = false
  private readonly now: () => number

  constructor(private readonly options: JobEngineOptions) {
    this.jobs = new JobRepository(options.db)
    this.errors = new ItemErrorRepository(options.db)
    this.maxConcurrent = options.maxConcurrent ?? 1
    this.now = options.now ?? Date.now
    this.jobs.markOrphansInterrupted(options.isProcessAlive ?? isProcessAlive)
  }

  /** Queues a job; it starts when a slot is free and the jobs in `after` have finished. */
  start(params: JobParams, after: readonly number[] = []): JobDto {
    strictAssert(!this.closing, 'engine is shutting down')
    for (const id of after) strictAssert(this.jobs.get(id), `unknown job ${id} in "after"`)
    const row = this.jobs.create(params, after, new Date(this.now()).toISOString())
    this.emit(row.id)
    queueMicrotask(() => this.schedule())
    return this.dto(row.id)
  }

  setMaxConcurrent(n: number): void {
    this.maxConcurrent = Math.max(1, n)
    this.schedule()
  }

  get(id: number): JobDto | null {
    return this.jobs.get(id) ? this.dto(id) : null
  }

  list(limit = 100): JobDto[] {
    return this.jobs.listNewestFirst(limit).map((row) => this.dtoOf(row))
  }

  /** Cancels a queued, running, paused or interrupted job. Finished work is kept. */
  cancel(id: number): JobDto {
    const row = this.mustGet(id)
    const live = this.running.get(id)
    if (live) {
      live.request = 'cancel'
      live.controller.abort()
      this.wake(live)
    } else if (row.state === 'running' || row.state === 'paused') {
      // Running in another process (another `vam` command or the app): ask it.
      this.jobs.request(id, 'cancel')
    } else if (row.state === 'queued' || row.state === 'interrupted') {
      this.finish(id, 'cancelled', null)
    }
    return this.dto(id)
  }

  /** Pauses a running job at its next checkpoint. */
  pause(id: number): JobDto {
    const live = this.running.get(id)
    strictAssert(live, `job ${id} is not running`)
    if (live.request === null) {
      live.request = 'pause'
      live.pausedAt = this.now()
      this.jobs.setState(id, 'paused')
      this.emit(id)
    }
    return this.dto(id)
  }

  /** Resumes a paused job, or re-queues an interrupted one to continue from its cursor. */
  resume(id: number): JobDto {
    const row = this.mustGet(id)
    const live = this.running.get(id)
    if (live && live.request === 'pause') {
      live.request = null
      if (live.pausedAt !== null) live.runningSince += this.now() - live.pausedAt
      live.pausedAt = null
      this.jobs.setState(id, 'running')
      this.wake(live)
      this.emit(id)
    } else if (row.state === 'interrupted') {
      this.jobs.setState(id, 'queued', { error: null })
      this.emit(id)
      queueMicrotask(() => this.schedule())
    } else {
      strictAssert(row.state === 'queued' || row.state === 'running', `job ${id} is ${row.state}`)
    }
    return this.dto(id)
  }

  log(id: number, afterId = 0, limit = 500) {
    return this.jobs.events(id, afterId, limit)
  }

  /** Resolves when the job reaches a terminal or interrupted state. */
  waitFor(id: number): Promise<JobDto> {
    const row = this.mustGet(id)
    if (isSettled(row.state as JobState) && !this.running.has(id)) return Promise.resolve(this.dto(id))
    return new Promise((resolve) => {
      const list = this.finishWaiters.get(id) ?? []
      list.push(resolve)
      this.finishWaiters.set(id, list)
    })
  }

  /**
   * Stops taking jobs; running ones stop at their next checkpoint and become `interrupted`
   * (resumable). Resolves when they have stopped or after `timeoutMs`.
   */
  async shutdown(timeoutMs = 5000): Promise<void> {
    this.closing = true
    const stopping = [...this.running.values()].map((live) => {
      live.request = 'shutdown'
      live.controller.abort()
      this.wake(live)
      return live.done
    })
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.allSettled(stopping),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ])
    // A pending timer would keep a CLI process alive for the full timeout after its work is done.
    clearTimeout(timer)
  }

  private schedule(): void {
    // The catalog may be closed by a host right after its last job settled.
    if (this.closing || !this.options.db.open) return
    for (const row of this.jobs.listQueued()) {
      if (this.running.size >= this.maxConcurrent) return
      const deps = JSON.parse(row.depends_on) as number[]
      const blocked = deps.some((dep) => {
        const state = this.jobs.get(dep)?.state as JobState | undefined
        return state !== undefined && !TERMINAL_JOB_STATES.includes(state)
      })
      if (!blocked) this.launch(row)
    }
  }

  private launch(row: JobRow): void {
    const handler = this.options.handlers[row.kind as JobKind] as JobHandler | undefined
    const startedAt = this.now()
    let resolveDone: () => void = () => undefined
    const live: RunningJob = {
      id: row.id,
      controller: new AbortController(),
      meter: new ProgressMeter(),
      done: new Promise<void>((resolve) => (resolveDone = resolve)),
      counters: { total: row.total, done: row.done, failed: row.failed, skipped: row.skipped },
      currentItem: null,
      request: null,
      resumeWaiters: [],
      pendingErrors: [],
      pendingLogs: [],
      activeMsBefore: row.active_seconds * 1000,
      runningSince: startedAt,
      pausedAt: null,
      lastEmit: 0,
    }
    this.running.set(row.id, live)
    this.jobs.request(row.id, null)
    this.jobs.setOwner(row.id, process.pid)
    this.jobs.setState(row.id, 'running', { error: null })
    const resumed = row.cursor !== null || row.done + row.failed + row.skipped > 0
    this.addLog(live, 'info', resumed ? `resumed from ${row.cursor ?? 'start'}` : 'started')
    this.emit(row.id)

    const run = async () => {
      if (!handler) throw new Error(`no handler for job kind "${row.kind}" in this build`)
      await handler.run(this.contextFor(row, live))
    }
    run()
      .then(
        () => this.settle(live, 'completed', null),
        (error: unknown) => {
          if (error instanceof JobCancelledError || live.request === 'cancel') {
            this.settle(live, live.request === 'shutdown' ? 'interrupted' : 'cancelled', null)
          } else if (live.request === 'shutdown') {
            this.settle(live, 'interrupted', null)
          } else {
            const message = error instanceof Error ? error.message : String(error)
            this.addLog(live, 'error', `failed: ${message}`)
            this.settle(live, 'failed', message)
          }
        },
      )
      .finally(() => {
        resolveDone()
        this.schedule()
      })
  }

  private settle(live: RunningJob, state: JobState, error: string | null): void {
    const c = live.counters
    this.addLog(
      live,
      state === 'failed' ? 'error' : 'info',
      `${state}: ${c.done} done, ${c.skipped} skipped, ${c.failed} failed`,
    )
    let flushError: unknown = null
    try {
      this.flush(live, undefined)
    } catch (e) {
      // The last write failed (disk full, catalog locked): the job must still leave the running
      // set, or every later job would queue behind it forever.
      flushError = e
    }
    this.running.delete(live.id)
    const message = flushError instanceof Error ? `final save failed: ${flushError.message}` : null
    this.finish(live.id, flushError ? 'failed' : state, message ?? error)
  }

  private finish(id: number, state: JobState, error: string | null): void {
    this.jobs.setState(id, state, { error })
    this.emit(id)
    if (isSettled(state)) {
      const dto = this.dto(id)
      for (const resolve of this.finishWaiters.get(id) ?? []) resolve(dto)
      this.finishWaiters.delete(id)
    }
  }

  private contextFor(row: JobRow, live: RunningJob): JobContext {
    const { db, paths, pool } = this.options
    const settings = this.options.settings()
    const touch = () => this.touch(live)
    const ctx: JobContext = {
      jobId: row.id,
      params: JSON.parse(row.params) as JobParams,
      resumeCursor: row.cursor,
      db,
      paths: paths as CatalogPaths,
      settings,
      pool: pool as WorkerPool,
      signal: live.controller.signal,
      setTotal: (total) => {
        live.counters.total = total
        touch()
      },
      addTotal: (count) => {
        live.counters.total += count
        touch()
      },
      setCurrent: (label) => {
        live.currentItem = label
        touch()
      },
      itemDone: (count = 1) => {
        live.counters.done += count
        touch()
      },
      itemSkipped: (count = 1) => {
        live.counters.skipped += count
        touch()
      },
      itemFailed: (failure: ItemFailure) => {
        live.counters.failed += 1
        live.pendingErrors.push({ ...failure, photoId: failure.photoId ?? null, jobId: row.id })
        this.addLog(live, 'warn', `${failure.code}: ${failure.path}: ${failure.message}`)
        touch()
      },
      log: (level, message) => this.addLog(live, level, message),
      checkpoint: async (cursor, write) => {
        this.flush(live, cursor, write)
        await this.gate(live)
      },
      catalogChanged: (reason) => this.options.events.emit('catalogChanged', { reason }),
    }
    return ctx
  }

  /** Blocks while paused; throws when cancelled or shutting down. */
  private async gate(live: RunningJob): Promise<void> {
    const fromElsewhere = this.jobs.requestOf(live.id)
    if (fromElsewhere === 'cancel') live.request = 'cancel'
    if (fromElsewhere !== null) this.jobs.request(live.id, null)
    while (live.request === 'pause') {
      await new Promise<void>((resolve) => live.resumeWaiters.push(resolve))
    }
    if (live.request === 'cancel') throw new JobCancelledError('cancelled')
    if (live.request === 'shutdown') throw new JobCancelledError('shutdown')
  }

  private wake(live: RunningJob): void {
    for (const resolve of live.resumeWaiters.splice(0)) resolve()
  }

  /** One transaction: the handler's batch, pending errors and logs, counters and cursor. */
  private flush(live: RunningJob, cursor: string | null | undefined, write?: () => void): void {
    const logs = live.pendingLogs.splice(0)
    const errors = live.pendingErrors.splice(0)
    const lines = this.options.db.transaction(() => {
      write?.()
      for (const error of errors) this.errors.upsert(error)
      const written = logs.map((l) => this.jobs.addEvent(live.id, l.level, l.message, l.at))
      this.jobs.saveProgress(live.id, this.countersOf(live), cursor)
      return written
    })()
    for (const line of lines) this.options.events.emit('jobLog', line)
    this.emit(live.id, true)
  }

  private countersOf(live: RunningJob) {
    return {
      ...live.counters,
      currentItem: live.currentItem,
      activeSeconds: this.activeMs(live) / 1000,
    }
  }

  private activeMs(live: RunningJob): number {
    const end = live.pausedAt ?? this.now()
    return live.activeMsBefore + (end - live.runningSince)
  }

  private touch(live: RunningJob): void {
    const now = this.now()
    const c = live.counters
    live.meter.sample(now, c.done + c.failed + c.skipped)
    // Counters reach the catalog only at checkpoints, in the transaction of the batch they count:
    // persisting them in between would over-count after a crash (items counted, batch lost).
    this.emit(live.id)
  }

  private addLog(live: RunningJob, level: LogLevel, message: string): void {
    live.pendingLogs.push({ level, message, at: new Date(this.now()).toISOString() })
  }

  private emit(id: number, force = false): void {
    const live = this.running.get(id)
    if (live) {
      const now = this.now()
      if (!force && now - live.lastEmit < PROGRESS_INTERVAL_MS) return
      live.lastEmit = now
    }
    this.options.events.emit('jobChanged', this.dto(id))
  }

  private dto(id: number): JobDto {
    return this.dtoOf(this.mustGet(id))
  }

  private dtoOf(row: JobRow): JobDto {
    const live = this.running.get(row.id)
    if (!live) return jobRowToDto(row)
    const c = live.counters
    const processed = c.done + c.failed + c.skipped
    return {
      ...jobRowToDto(row, {
        rate: live.meter.rate(),
        etaSeconds: c.total > 0 ? live.meter.etaSeconds(c.total - processed) : null,
      }),
      ...c,
      currentItem: live.currentItem,
    }
  }

  private mustGet(id: number): JobRow {
    const row = this.jobs.get(id)
    strictAssert(row, `unknown job ${id}`)
    return row
  }
}

function isSettled(state: JobState): boolean {
  return TERMINAL_JOB_STATES.includes(state) || state === 'interrupted'
}
