import type { Database } from 'better-sqlite3'
import type { QualityPart, QualityPartName, QualityResult } from '../../analysis/quality'

/** The measurements stored beside a score (the quality table's metric columns). */
export interface QualityMetrics {
  readonly sharpness: number
  readonly exposure: number
  readonly clippedHigh: number
  readonly clippedLow: number
  readonly meanLuminance: number
  readonly noise: number
  readonly megapixels: number
}

/** A stored quality score with its parts (what `vam show` and the info panel print). */
export interface StoredQuality {
  readonly photoId: number
  readonly score: number
  readonly metrics: QualityMetrics
  readonly parts: Readonly<Record<QualityPartName, QualityPart>>
  readonly explanation: string
  readonly version: number
  readonly computedAt: string
}

interface QualityRow {
  photo_id: number
  score: number
  sharpness: number
  exposure: number
  clipped_high: number
  clipped_low: number
  mean_luminance: number
  noise: number
  resolution: number
  parts: string
  explanation: string
  version: number
  computed_at: string
}

const toStored = (r: QualityRow): StoredQuality => ({
  photoId: r.photo_id,
  score: r.score,
  metrics: {
    sharpness: r.sharpness,
    exposure: r.exposure,
    clippedHigh: r.clipped_high,
    clippedLow: r.clipped_low,
    meanLuminance: r.mean_luminance,
    noise: r.noise,
    megapixels: r.resolution,
  },
  parts: JSON.parse(r.parts) as Record<QualityPartName, QualityPart>,
  explanation: r.explanation,
  version: r.version,
  computedAt: r.computed_at,
})

/** The quality table: one score per photo with its parts. */
export class QualityRepository {
  constructor(private readonly db: Database) {}

  upsert(
    photoId: number,
    q: QualityResult,
    sourceMtimeMs: number | null,
    at = new Date().toISOString(),
  ): void {
    this.db
      .prepare(
        `INSERT INTO quality (photo_id, score, sharpness, exposure, clipped_high, clipped_low,
           mean_luminance, noise, resolution, parts, explanation, version, source_mtime_ms, computed_at)
         VALUES (@photoId, @score, @sharpness, @exposure, @clippedHigh, @clippedLow,
           @meanLuminance, @noise, @resolution, @parts, @explanation, @version, @sourceMtimeMs, @at)
         ON CONFLICT(photo_id) DO UPDATE SET score = excluded.score, sharpness = excluded.sharpness,
           exposure = excluded.exposure, clipped_high = excluded.clipped_high,
           clipped_low = excluded.clipped_low, mean_luminance = excluded.mean_luminance,
           noise = excluded.noise, resolution = excluded.resolution, parts = excluded.parts,
           explanation = excluded.explanation, version = excluded.version,
           source_mtime_ms = excluded.source_mtime_ms, computed_at = excluded.computed_at`,
      )
      .run({
        photoId,
        score: q.score,
        sharpness: q.metrics.sharpness,
        exposure: q.exposure,
        clippedHigh: q.metrics.clippedHigh,
        clippedLow: q.metrics.clippedLow,
        meanLuminance: q.metrics.meanLuminance,
        noise: q.metrics.noise,
        resolution: q.megapixels,
        parts: JSON.stringify(q.parts),
        explanation: q.explanation,
        version: q.version,
        sourceMtimeMs,
        at,
      })
  }

  forPhoto(photoId: number): StoredQuality | null {
    const row = this.db.prepare('SELECT * FROM quality WHERE photo_id = ?').get(photoId) as
      QualityRow | undefined
    return row ? toStored(row) : null
  }
}
