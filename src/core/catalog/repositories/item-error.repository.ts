import type { Database } from 'better-sqlite3'
import type { ItemErrorCode, ItemErrorDto } from '../../../shared/jobs'

interface ItemErrorRow {
  id: number
  photo_id: number | null
  path: string
  job_id: number | null
  stage: string
  code: string
  message: string
  attempts: number
  at: string
}

export const toItemErrorDto = (r: ItemErrorRow): ItemErrorDto => ({
  id: r.id,
  photoId: r.photo_id,
  path: r.path,
  jobId: r.job_id,
  stage: r.stage,
  code: r.code as ItemErrorCode,
  message: r.message,
  attempts: r.attempts,
  at: r.at,
})

/** An error to record: the stored record without what the repository assigns. */
export type NewItemError = Omit<ItemErrorDto, 'id' | 'attempts' | 'at'>

/** Per-item errors: one open row per (path, stage); cleared when the stage later succeeds. */
export class ItemErrorRepository {
  constructor(private readonly db: Database) {}

  /** Records (or re-records, counting attempts) an error. Call inside the batch's transaction. */
  upsert(error: NewItemError, at = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO item_errors (photo_id, path, job_id, stage, code, message, attempts, at)
         VALUES (?, ?, ?, ?, ?, ?, 1, ?)
         ON CONFLICT(path, stage) DO UPDATE SET
           photo_id = COALESCE(excluded.photo_id, photo_id), job_id = excluded.job_id,
           code = excluded.code, message = excluded.message, attempts = attempts + 1, at = excluded.at`,
      )
      .run(error.photoId, error.path, error.jobId, error.stage, error.code, error.message, at)
  }

  /** The item succeeded at this stage: its old error no longer applies. */
  clear(path: string, stage: string): void {
    this.db.prepare('DELETE FROM item_errors WHERE path = ? AND stage = ?').run(path, stage)
  }

  clearForPhoto(photoId: number, stage: string): void {
    this.db.prepare('DELETE FROM item_errors WHERE photo_id = ? AND stage = ?').run(photoId, stage)
  }

  forPhoto(photoId: number): ItemErrorDto[] {
    return (
      this.db
        .prepare('SELECT * FROM item_errors WHERE photo_id = ? ORDER BY id')
        .all(photoId) as ItemErrorRow[]
    ).map(toItemErrorDto)
  }

  /** Counts by code (optionally of one job). */
  countsByCode(jobId?: number): { code: ItemErrorCode; count: number }[] {
    const where = jobId === undefined ? '' : 'WHERE job_id = @jobId'
    return this.db
      .prepare(
        `SELECT code, COUNT(*) AS count FROM item_errors ${where} GROUP BY code ORDER BY count DESC`,
      )
      .all(jobId === undefined ? {} : { jobId }) as { code: ItemErrorCode; count: number }[]
  }

  /** Counts by stage and code (health's "why missing"). */
  countsByStageAndCode(): { stage: string; code: ItemErrorCode; count: number }[] {
    return this.db
      .prepare(
        'SELECT stage, code, COUNT(*) AS count FROM item_errors GROUP BY stage, code ORDER BY count DESC',
      )
      .all() as { stage: string; code: ItemErrorCode; count: number }[]
  }

  firstOfCode(code: ItemErrorCode, limit: number, jobId?: number): ItemErrorDto[] {
    const jobClause = jobId === undefined ? '' : 'AND job_id = @jobId'
    return (
      this.db
        .prepare(`SELECT * FROM item_errors WHERE code = @code ${jobClause} ORDER BY id LIMIT @limit`)
        .all({ code, limit, ...(jobId === undefined ? {} : { jobId }) }) as ItemErrorRow[]
    ).map(toItemErrorDto)
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM item_errors').get() as { n: number }).n
  }
}
