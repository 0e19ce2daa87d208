import type { Database } from 'better-sqlite3'
import type { ItemErrorCode } from '../../../shared/jobs'

/**
 * The counts behind the first `vam health` (totals, date/GPS/geohash coverage, errors by code),
 * each computed from the rows themselves in one pass. The full health feature (core/health)
 * builds on these.
 */

export interface PhotoCoverageRow {
  photos: number
  present: number
  missing: number
  images: number
  videos: number
  bytes: number
  dated: number
  date_suspicious: number
  gps: number
  gps_suspicious: number
  null_island: number
  geohash: number
  gps_without_geohash: number
  geohash_without_gps: number
}

export class BasicHealthRepository {
  constructor(private readonly db: Database) {}

  coverage(): PhotoCoverageRow {
    return this.db
      .prepare(
        `SELECT COUNT(*) AS photos,
           COALESCE(SUM(missing_since IS NULL), 0) AS present,
           COALESCE(SUM(missing_since IS NOT NULL), 0) AS missing,
           COALESCE(SUM(media_kind = 'image'), 0) AS images,
           COALESCE(SUM(media_kind = 'video'), 0) AS videos,
           COALESCE(SUM(size), 0) AS bytes,
           COALESCE(SUM(taken_at IS NOT NULL), 0) AS dated,
           COALESCE(SUM(date_suspicious IS NOT NULL), 0) AS date_suspicious,
           COALESCE(SUM(gps_lat IS NOT NULL), 0) AS gps,
           COALESCE(SUM(gps_suspicious IS NOT NULL), 0) AS gps_suspicious,
           COALESCE(SUM(gps_suspicious = 'null-island'), 0) AS null_island,
           COALESCE(SUM(geohash IS NOT NULL), 0) AS geohash,
           COALESCE(SUM(gps_lat IS NOT NULL AND geohash IS NULL
             AND COALESCE(gps_suspicious, '') <> 'null-island'), 0) AS gps_without_geohash,
           COALESCE(SUM(geohash IS NOT NULL AND gps_lat IS NULL), 0) AS geohash_without_gps
         FROM photos`,
      )
      .get() as PhotoCoverageRow
  }

  /** Dated photos per date source, with the confidence it carries. */
  dateSources(): { source: string; confidence: number; count: number }[] {
    return this.db
      .prepare(
        `SELECT date_source AS source, MAX(date_confidence) AS confidence, COUNT(*) AS count
         FROM photos WHERE taken_at IS NOT NULL GROUP BY date_source ORDER BY confidence DESC`,
      )
      .all() as { source: string; confidence: number; count: number }[]
  }

  suspiciousDates(): { reason: string; count: number }[] {
    return this.db
      .prepare(
        `SELECT date_suspicious AS reason, COUNT(*) AS count FROM photos
         WHERE date_suspicious IS NOT NULL GROUP BY date_suspicious ORDER BY count DESC`,
      )
      .all() as { reason: string; count: number }[]
  }

  /** Streams (lat, lon, geohash) of photos that have both, to check they agree. */
  *iterateGeohashes(): IterableIterator<{ gps_lat: number; gps_lon: number; geohash: string }> {
    yield* this.db
      .prepare(
        'SELECT gps_lat, gps_lon, geohash FROM photos WHERE geohash IS NOT NULL AND gps_lat IS NOT NULL',
      )
      .iterate() as IterableIterator<{ gps_lat: number; gps_lon: number; geohash: string }>
  }

  errorsByCode(): { stage: string; code: ItemErrorCode; count: number }[] {
    return this.db
      .prepare(
        'SELECT stage, code, COUNT(*) AS count FROM item_errors GROUP BY stage, code ORDER BY count DESC, stage, code',
      )
      .all() as { stage: string; code: ItemErrorCode; count: number }[]
  }
}
