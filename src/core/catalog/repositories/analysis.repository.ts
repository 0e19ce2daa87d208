import type { Database } from 'better-sqlite3'
import { likePrefix } from './photo.repository'

/** Versions the analyze job currently writes; rows of other versions count as missing. */
export interface AnalysisVersions {
  readonly thumbnail: number
  readonly hash: number
  readonly quality: number
}

/** One photo as the analyze job sees it: what the worker needs plus what is already current. */
export interface AnalysisCandidate {
  id: number
  path: string
  format: string | null
  media_kind: string | null
  width: number | null
  height: number | null
  size: number
  mtime_ms: number
  has_date: number
  has_gps: number
  has_camera: number
  /** Current thumbnail rows (all sizes), `size:path` joined by '|', or null. */
  thumbs: string | null
  hashed: number
  scored: number
}

/**
 * Cross-table reads of the analysis stage (thumbnails + hashes + quality). "Current" means the
 * row's version is the code's and it was computed from the file as it is now (same mtime).
 */
export class AnalysisRepository {
  constructor(private readonly db: Database) {}

  /**
   * The next page of present photos after `afterId`, in id order, each with what is already
   * current. Keyset pages rather than one long iterate(): better-sqlite3 allows no writes on the
   * connection while a statement is being iterated, and the job writes between pages.
   */
  streamNeedingAnalysis(
    afterId: number,
    versions: AnalysisVersions,
    options: { folder?: string; limit?: number } = {},
  ): AnalysisCandidate[] {
    const folder = options.folder?.replace(/[\\/]+$/, '')
    const folderSql =
      folder === undefined
        ? ''
        : `AND (p.folder = @folder OR p.folder LIKE @folderPrefix ESCAPE '\\')`
    return this.db
      .prepare(
        `SELECT p.id, p.path, p.format, p.media_kind, p.width, p.height, p.size, p.mtime_ms,
           p.taken_at IS NOT NULL AS has_date,
           (p.gps_lat IS NOT NULL AND p.gps_lon IS NOT NULL) AS has_gps,
           (p.make IS NOT NULL OR p.model IS NOT NULL) AS has_camera,
           (SELECT group_concat(t.size || ':' || t.path, '|') FROM thumbnails t
              WHERE t.photo_id = p.id AND t.version = @tv
                AND (t.source_mtime_ms IS NULL OR t.source_mtime_ms = p.mtime_ms)) AS thumbs,
           EXISTS (SELECT 1 FROM hashes h WHERE h.photo_id = p.id AND h.algo_version = @hv
                AND (h.source_mtime_ms IS NULL OR h.source_mtime_ms = p.mtime_ms)) AS hashed,
           EXISTS (SELECT 1 FROM quality q WHERE q.photo_id = p.id AND q.version = @qv
                AND (q.source_mtime_ms IS NULL OR q.source_mtime_ms = p.mtime_ms)) AS scored
         FROM photos p
         WHERE p.id > @afterId AND p.missing_since IS NULL ${folderSql}
         ORDER BY p.id LIMIT @limit`,
      )
      .all({
        afterId,
        tv: versions.thumbnail,
        hv: versions.hash,
        qv: versions.quality,
        limit: options.limit ?? 500,
        ...(folder === undefined ? {} : { folder, folderPrefix: likePrefix(`${folder}/`) }),
      }) as AnalysisCandidate[]
  }

  /** Present photos in scope after `afterId` (the job's total). */
  countInScope(afterId: number, folder?: string): number {
    const f = folder?.replace(/[\\/]+$/, '')
    const folderSql =
      f === undefined ? '' : `AND (folder = @folder OR folder LIKE @folderPrefix ESCAPE '\\')`
    return (
      this.db
        .prepare(
          `SELECT COUNT(*) AS n FROM photos WHERE id > @afterId AND missing_since IS NULL ${folderSql}`,
        )
        .get({
          afterId,
          ...(f === undefined ? {} : { folder: f, folderPrefix: likePrefix(`${f}/`) }),
        }) as {
        n: number
      }
    ).n
  }
}
