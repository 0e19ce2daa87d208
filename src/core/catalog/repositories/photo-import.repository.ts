import type { Database, Statement } from 'better-sqlite3'
import type { ImportedPhotoFields } from '../../../shared/photos'
import { likePrefix } from './photo.repository'

/**
 * The import job's writes to `photos` (the read side for browsing is photo.repository.ts).
 * Statements are prepared once per job; every call runs inside the job's batch transaction.
 */

/** The columns an import writes (the import task's record without its warnings). */
export type PhotoImportRow = ImportedPhotoFields

/** What the incremental check needs about a known path. */
export interface KnownFile {
  readonly id: number
  readonly size: number
  readonly mtime_ms: number
  readonly missing_since: string | null
}

const CONTENT_COLUMNS = [
  ['size', 'size'],
  ['mtime_ms', 'mtimeMs'],
  ['checksum', 'checksum'],
  ['media_kind', 'mediaKind'],
  ['format', 'format'],
  ['raw_format', 'rawFormat'],
  ['width', 'width'],
  ['height', 'height'],
  ['orientation', 'orientation'],
  ['taken_at', 'takenAt'],
  ['date_source', 'dateSource'],
  ['date_confidence', 'dateConfidence'],
  ['date_suspicious', 'dateSuspicious'],
  ['tz_offset', 'tzOffset'],
  ['make', 'make'],
  ['model', 'model'],
  ['lens', 'lens'],
  ['iso', 'iso'],
  ['exposure_time', 'exposureTime'],
  ['f_number', 'fNumber'],
  ['focal_length', 'focalLength'],
  ['gps_lat', 'gpsLat'],
  ['gps_lon', 'gpsLon'],
  ['gps_alt', 'gpsAlt'],
  ['gps_suspicious', 'gpsSuspicious'],
  ['geohash', 'geohash'],
] as const

const ALL_COLUMNS = [
  ['path', 'path'],
  ['folder', 'folder'],
  ['name', 'name'],
  ...CONTENT_COLUMNS,
] as const

/**
 * Positional parameters in ALL_COLUMNS order. Positional binding, not named: with ~30 columns,
 * better-sqlite3's by-name lookup was a measurable share of the 100k-row insert.
 */
function valuesOf(row: PhotoImportRow): unknown[] {
  const values: unknown[] = new Array(ALL_COLUMNS.length)
  for (let i = 0; i < ALL_COLUMNS.length; i++)
    values[i] = row[(ALL_COLUMNS[i] as (typeof ALL_COLUMNS)[number])[1]]
  return values
}

export class PhotoImportRepository {
  private readonly byPath: Statement
  private readonly upsert: Statement
  private readonly moveStmt: Statement
  private readonly byChecksum: Statement
  private readonly clearMissingStmt: Statement
  private readonly markMissingStmt: Statement
  private readonly underRoot: Statement

  constructor(private readonly db: Database) {
    this.byPath = db.prepare('SELECT id, size, mtime_ms, missing_since FROM photos WHERE path = ?')
    // A changed file at a known path keeps its row (and id); imported_at records the first import.
    this.upsert = db.prepare(
      `INSERT INTO photos (${ALL_COLUMNS.map(([c]) => c).join(', ')}, imported_at, missing_since)
       VALUES (${ALL_COLUMNS.map(() => '?').join(', ')}, ?, NULL)
       ON CONFLICT(path) DO UPDATE SET
         ${CONTENT_COLUMNS.map(([c]) => `${c} = excluded.${c}`).join(', ')}, missing_since = NULL
       RETURNING id`,
    )
    this.moveStmt = db.prepare(
      `UPDATE photos SET ${ALL_COLUMNS.map(([c]) => `${c} = ?`).join(', ')}, missing_since = NULL
       WHERE id = ?`,
    )
    this.byChecksum = db.prepare(
      'SELECT id, path, missing_since FROM photos WHERE checksum = ? ORDER BY id',
    )
    this.clearMissingStmt = db.prepare('UPDATE photos SET missing_since = NULL WHERE id = ?')
    this.markMissingStmt = db.prepare(
      'UPDATE photos SET missing_since = ? WHERE id = ? AND missing_since IS NULL',
    )
    this.underRoot = db.prepare(
      `SELECT id, path FROM photos
       WHERE (folder = @root OR folder LIKE @prefix ESCAPE '\\') AND missing_since IS NULL ORDER BY id`,
    )
  }

  /** The row at a path, for the unchanged (size + mtime) check. */
  findByPath(path: string): KnownFile | undefined {
    return this.byPath.get(path) as KnownFile | undefined
  }

  /** Inserts a new file or refreshes the row at the same path (keeping its id); returns the id. */
  upsertImported(row: PhotoImportRow, importedAt: string): number {
    return (this.upsert.get(...valuesOf(row), importedAt) as { id: number }).id
  }

  /** Rows with this content, oldest first (moved-file detection, exact duplicates). */
  findByChecksum(checksum: string): { id: number; path: string; missing_since: string | null }[] {
    return this.byChecksum.all(checksum) as {
      id: number
      path: string
      missing_since: string | null
    }[]
  }

  /** A known photo found at a new path: the row follows the file (same id, decisions kept). */
  moveTo(id: number, row: PhotoImportRow): void {
    this.moveStmt.run(...valuesOf(row), id)
  }

  clearMissing(id: number): void {
    this.clearMissingStmt.run(id)
  }

  /** Marks a photo whose file vanished; rows are never deleted by import. */
  markMissing(id: number, at: string): void {
    this.markMissingStmt.run(at, id)
  }

  /** Present (not yet missing) photos in `root` and below, streamed. */
  *iteratePresentUnder(root: string): IterableIterator<{ id: number; path: string }> {
    const base = root.replace(/[\\/]+$/, '')
    const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/'
    yield* this.underRoot.iterate({
      root: base,
      prefix: likePrefix(`${base}${sep}`),
    }) as IterableIterator<{
      id: number
      path: string
    }>
  }

  /** Import errors of files under `root` (to drop those whose file is gone). */
  importErrorPathsUnder(root: string): string[] {
    const base = root.replace(/[\\/]+$/, '')
    return (
      this.db
        .prepare(
          `SELECT path FROM item_errors WHERE stage = 'import' AND photo_id IS NULL
           AND path LIKE @prefix ESCAPE '\\'`,
        )
        .all({ prefix: likePrefix(`${base}/`) }) as { path: string }[]
    ).map((r) => r.path)
  }

  /** Paths that failed in this job (a resumed job must not count them twice). */
  failedPathsOfJob(jobId: number): Set<string> {
    const rows = this.db
      .prepare(`SELECT path FROM item_errors WHERE job_id = ? AND stage = 'import'`)
      .all(jobId) as { path: string }[]
    return new Set(rows.map((r) => r.path))
  }

  deleteImportError(path: string): void {
    this.db.prepare(`DELETE FROM item_errors WHERE path = ? AND stage = 'import'`).run(path)
  }
}
