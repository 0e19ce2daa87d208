import type { Database } from 'better-sqlite3'
import type { JobDto, JobKind, JobLogLine, JobParams, JobState, LogLevel } from '../../../shared/jobs'

export interface JobRow {
  id: number
  kind: string
  params: string
  state: string
  total: number
  done: number
  failed: number
  skipped: number
  cursor: string | null
  current_item: string | null
  error: string | null
  depends_on: string
  created_at: string
  started_at: string | null
  finished_at: string | null
  active_seconds: number
  requested: string | null
  owner_pid: number | null
}

/** Row → DTO. Rate and ETA come from the engine while running; from the totals otherwise. */
export function jobRowToDto(row: JobRow, live?: { rate: number; etaSeconds: number | null }): JobDto {
  const processed = row.done + row.failed + row.skipped
  const rate = live?.rate ?? (row.active_seconds > 0 ? processed / row.active_seconds : 0)
  return {
    id: row.id,
    kind: row.kind as JobKind,
    params: JSON.parse(row.params) as JobParams,
    state: row.state as JobState,
    total: row.total,
    done: row.done,
    failed: row.failed,
    skipped: row.skipped,
    rate,
    etaSeconds: live?.etaSeconds ?? null,
    currentItem: row.current_item,
    error: row.error,
    dependsOn: JSON.parse(row.depends_on) as number[],
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  }
}

export interface JobCounters {
  readonly total: number
  readonly done: number
  readonly failed: number
  readonly skipped: number
  readonly currentItem: string | null
  readonly activeSeconds: number
}

/** Jobs and their log lines. */
export class JobRepository {
  constructor(private readonly db: Database) {}

  create(params: JobParams, dependsOn: readonly number[], now: string): JobRow {
    const info = this.db
      .prepare(
        `INSERT INTO jobs (kind, params, state, depends_on, created_at) VALUES (?, ?, 'queued', ?, ?)`,
      )
      .run(params.kind, JSON.stringify(params), JSON.stringify(dependsOn), now)
    return this.get(Number(info.lastInsertRowid)) as JobRow
  }

  get(id: number): JobRow | undefined {
    return this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined
  }

  listNewestFirst(limit: number): JobRow[] {
    return this.db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit) as JobRow[]
  }

  /** Queued jobs, oldest first (the scheduler's order). */
  listQueued(): JobRow[] {
    return this.db
      .prepare(`SELECT * FROM jobs WHERE state = 'queued' ORDER BY id`)
      .all() as JobRow[]
  }

  setState(id: number, state: JobState, fields: { error?: string | null; at?: string } = {}): void {
    const at = fields.at ?? new Date().toISOString()
    const terminal = state === 'completed' || state === 'failed' || state === 'cancelled'
    this.db
      .prepare(
        `UPDATE jobs SET state = @state,
           error = CASE WHEN @setError THEN @error ELSE error END,
           started_at = CASE WHEN @state = 'running' AND started_at IS NULL THEN @at ELSE started_at END,
           finished_at = CASE WHEN @terminal THEN @at ELSE NULL END,
           current_item = CASE WHEN @terminal THEN NULL ELSE current_item END
         WHERE id = @id`,
      )
      .run({
        id,
        state,
        at,
        terminal: terminal ? 1 : 0,
        setError: fields.error !== undefined ? 1 : 0,
        error: fields.error ?? null,
      })
  }

  saveProgress(id: number, counters: JobCounters, cursor?: string | null): void {
    this.db
      .prepare(
        `UPDATE jobs SET total = @total, done = @done, failed = @failed, skipped = @skipped,
           current_item = @currentItem, active_seconds = @activeSeconds,
           cursor = CASE WHEN @setCursor THEN @cursor ELSE cursor END
         WHERE id = @id`,
      )
      .run({
        id,
        ...counters,
        setCursor: cursor === undefined ? 0 : 1,
        cursor: cursor ?? null,
      })
  }

  /** Asks the process running the job to pause or cancel it at its next checkpoint. */
  request(id: number, request: 'pause' | 'cancel' | null): void {
    this.db.prepare('UPDATE jobs SET requested = ? WHERE id = ?').run(request, id)
  }

  requestOf(id: number): 'pause' | 'cancel' | null {
    const row = this.db.prepare('SELECT requested FROM jobs WHERE id = ?').get(id) as
      | { requested: 'pause' | 'cancel' | null }
      | undefined
    return row?.requested ?? null
  }

  /**
   * On startup: jobs left running or paused by a process that no longer exists become
   * `interrupted` (resumable). `isAlive` is injected so tests can simulate a dead owner.
   */
  markOrphansInterrupted(isAlive: (pid: number) => boolean): number {
    const orphans = (
      this.db
        .prepare(`SELECT id, owner_pid FROM jobs WHERE state IN ('running', 'paused')`)
        .all() as { id: number; owner_pid: number | null }[]
    ).filter((j) => j.owner_pid === null || !isAlive(j.owner_pid))
    const mark = this.db.prepare(
      `UPDATE jobs SET state = 'interrupted', error = 'the app stopped while this job was running'
       WHERE id = ?`,
    )
    for (const job of orphans) mark.run(job.id)
    return orphans.length
  }

  setOwner(id: number, pid: number | null): void {
    this.db.prepare('UPDATE jobs SET owner_pid = ? WHERE id = ?').run(pid, id)
  }

  addEvent(jobId: number, level: LogLevel, message: string, at: string): JobLogLine {
    const info = this.db
      .prepare('INSERT INTO job_events (job_id, at, level, message) VALUES (?, ?, ?, ?)')
      .run(jobId, at, level, message)
    return { id: Number(info.lastInsertRowid), jobId, at, level, message }
  }

  events(jobId: number, afterId: number, limit: number): JobLogLine[] {
    return (
      this.db
        .prepare(
          'SELECT id, job_id, at, level, message FROM job_events WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?',
        )
        .all(jobId, afterId, limit) as {
        id: number
        job_id: number
        at: string
        level: LogLevel
        message: string
      }[]
    ).map((r) => ({ id: r.id, jobId: r.job_id, at: r.at, level: r.level, message: r.message }))
  }

  /** Measured items/s of the last completed runs of a kind (health's time estimates). */
  measuredRate(kind: JobKind, lastRuns = 5): number | null {
    const row = this.db
      .prepare(
        `SELECT SUM(done + failed) AS items, SUM(active_seconds) AS secs FROM (
           SELECT done, failed, active_seconds FROM jobs
           WHERE kind = ? AND state = 'completed' AND active_seconds > 0 AND done + failed > 0
           ORDER BY id DESC LIMIT ?)`,
      )
      .get(kind, lastRuns) as { items: number | null; secs: number | null }
    return row.items && row.secs ? row.items / row.secs : null
  }
}
