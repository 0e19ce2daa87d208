import type { Database } from 'better-sqlite3'
import { filterClause } from './photo.repository'

/**
 * Reads and writes of the repair jobs (geohash, verify, retry-failed) that are not another
 * feature's: paging photos by id for a resumable scan, fixing geohashes, verify's bookkeeping.
 */

export interface GeohashRow {
  id: number
  path: string
  gps_lat: number | null
  gps_lon: number | null
  geohash: string | null
}

export interface VerifyRow {
  id: number
  path: string
  folder: string
  size: number
  mtime_ms: number
  checksum: string | null
  missing_since: string | null
}

export class RepairRepository {
  constructor(private readonly db: Database) {}

  /** Rows the geohash job reads: those with a position or a geohash. */
  countGeohashRows(): number {
    return (
      this.db
        .prepare(
          'SELECT COUNT(*) AS n FROM photos WHERE gps_lat IS NOT NULL OR gps_lon IS NOT NULL OR geohash IS NOT NULL',
        )
        .get() as { n: number }
    ).n
  }

  /** The next page of those rows after `afterId` (id order, so a cursor resumes exactly). */
  geohashPage(afterId: number, limit: number): GeohashRow[] {
    return this.db
      .prepare(
        `SELECT id, path, gps_lat, gps_lon, geohash FROM photos
         WHERE id > ? AND (gps_lat IS NOT NULL OR gps_lon IS NOT NULL OR geohash IS NOT NULL)
         ORDER BY id LIMIT ?`,
      )
      .all(afterId, limit) as GeohashRow[]
  }

  setGeohash(id: number, geohash: string | null): void {
    this.db.prepare('UPDATE photos SET geohash = ? WHERE id = ?').run(geohash, id)
  }

  private removedTable: boolean | undefined

  /**
   * Photos review removed on purpose (their files are in the trash or quarantine, rows kept for
   * undo) are not verify's business: it neither re-marks nor re-links them.
   */
  private scope(folder: string | undefined): { sql: string; params: Record<string, unknown> } {
    const { sql, params } = filterClause(folder === undefined ? undefined : { folder })
    this.removedTable ??= this.hasTable('removed_photos')
    if (!this.removedTable) return { sql, params }
    const notRemoved = 'p.id NOT IN (SELECT photo_id FROM removed_photos)'
    return { sql: sql ? `${sql} AND ${notRemoved}` : `WHERE ${notRemoved}`, params }
  }

  countInScope(folder: string | undefined): number {
    const { sql, params } = this.scope(folder)
    return (
      this.db.prepare(`SELECT COUNT(*) AS n FROM photos p ${sql}`).get(params) as { n: number }
    ).n
  }

  /** The next page of photos in scope after `afterId`, with what verify compares. */
  verifyPage(folder: string | undefined, afterId: number, limit: number): VerifyRow[] {
    const { sql, params } = this.scope(folder)
    const where = sql ? `${sql} AND p.id > @afterId` : 'WHERE p.id > @afterId'
    return this.db
      .prepare(
        `SELECT p.id, p.path, p.folder, p.size, p.mtime_ms, p.checksum, p.missing_since
         FROM photos p ${where} ORDER BY p.id LIMIT @limit`,
      )
      .all({ ...params, afterId, limit }) as VerifyRow[]
  }

  countMissingInScope(folder: string | undefined): number {
    const { sql, params } = this.scope(folder)
    const where = sql
      ? `${sql} AND p.missing_since IS NOT NULL`
      : 'WHERE p.missing_since IS NOT NULL'
    return (
      this.db.prepare(`SELECT COUNT(*) AS n FROM photos p ${where}`).get(params) as { n: number }
    ).n
  }

  /** Vanished photos in scope (candidates for re-linking by checksum). */
  vanishedInScope(folder: string | undefined): VerifyRow[] {
    const { sql, params } = this.scope(folder)
    const where = sql
      ? `${sql} AND p.missing_since IS NOT NULL`
      : 'WHERE p.missing_since IS NOT NULL'
    return this.db
      .prepare(
        `SELECT p.id, p.path, p.folder, p.size, p.mtime_ms, p.checksum, p.missing_since
         FROM photos p ${where} ORDER BY p.id`,
      )
      .all(params) as VerifyRow[]
  }

  isKnownPath(path: string): boolean {
    return this.db.prepare('SELECT 1 FROM photos WHERE path = ?').get(path) !== undefined
  }

  private hasTable(name: string): boolean {
    return (
      this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !==
      undefined
    )
  }

  /**
   * Only the timestamp moved, the bytes are identical (same checksum): the analysis rows made from
   * the old mtime still describe this file, so they follow the new mtime instead of going stale
   * (analyze decides "current" by source_mtime_ms = photos.mtime_ms).
   */
  touch(id: number, oldMtimeMs: number, size: number, mtimeMs: number): void {
    this.db.prepare('UPDATE photos SET size = ?, mtime_ms = ? WHERE id = ?').run(size, mtimeMs, id)
    for (const table of ['thumbnails', 'hashes', 'quality']) {
      if (!this.hasTable(table)) continue
      this.db
        .prepare(
          `UPDATE ${table} SET source_mtime_ms = ? WHERE photo_id = ? AND source_mtime_ms = ?`,
        )
        .run(mtimeMs, id, oldMtimeMs)
    }
  }

  /** A changed file that could not be re-read: record what the disk says, nothing else. */
  updateStat(id: number, size: number, mtimeMs: number): void {
    this.db.prepare('UPDATE photos SET size = ?, mtime_ms = ? WHERE id = ?').run(size, mtimeMs, id)
  }

  /**
   * New content: the analysis rows go stale by themselves (their source_mtime_ms no longer matches);
   * CLIP vectors and tags carry no source stamp, so they are removed and the clip job redoes them.
   */
  dropContentDerived(id: number): void {
    for (const table of ['embeddings', 'tags']) {
      if (this.hasTable(table)) this.db.prepare(`DELETE FROM ${table} WHERE photo_id = ?`).run(id)
    }
  }

  /** Roots of completed imports, newest first: verify looks for moved files under them. */
  importRoots(): string[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT json_extract(params, '$.root') AS root FROM jobs
         WHERE kind = 'import' AND state IN ('completed', 'interrupted', 'cancelled', 'failed')
         ORDER BY id DESC`,
      )
      .all() as { root: string | null }[]
    return rows.map((r) => r.root).filter((r): r is string => typeof r === 'string')
  }

  /**
   * Errors that no longer apply once the original is back or re-linked: "vanished" ones, which
   * were about the file's absence, not its bytes.
   */
  clearVanishedErrors(photoId: number): void {
    this.db.prepare(`DELETE FROM item_errors WHERE photo_id = ? AND code = 'vanished'`).run(photoId)
  }

  /** The file's bytes changed: every error about its old bytes is void. */
  clearErrorsOfPhoto(photoId: number, exceptStages: readonly string[] = []): void {
    const list = exceptStages.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')
    this.db
      .prepare(
        `DELETE FROM item_errors WHERE photo_id = ?${list ? ` AND stage NOT IN (${list})` : ''}`,
      )
      .run(photoId)
  }

  /** Retryable item errors: these codes, tried fewer than `maxAttempts` times, in id pages. */
  errorsWithCodes(
    codes: readonly string[],
    maxAttempts: number,
    afterId: number,
    limit: number,
  ): {
    id: number
    photo_id: number | null
    path: string
    stage: string
    code: string
    attempts: number
  }[] {
    const list = codes.map((c) => `'${c.replace(/'/g, "''")}'`).join(', ')
    return this.db
      .prepare(
        `SELECT id, photo_id, path, stage, code, attempts FROM item_errors
         WHERE code IN (${list}) AND attempts < ? AND id > ? ORDER BY id LIMIT ?`,
      )
      .all(maxAttempts, afterId, limit) as {
      id: number
      photo_id: number | null
      path: string
      stage: string
      code: string
      attempts: number
    }[]
  }

  countErrorsWithCodes(codes: readonly string[], maxAttempts: number): number {
    const list = codes.map((c) => `'${c.replace(/'/g, "''")}'`).join(', ')
    return (
      this.db
        .prepare(`SELECT COUNT(*) AS n FROM item_errors WHERE code IN (${list}) AND attempts < ?`)
        .get(maxAttempts) as { n: number }
    ).n
  }

  deleteError(id: number): void {
    this.db.prepare('DELETE FROM item_errors WHERE id = ?').run(id)
  }
}
