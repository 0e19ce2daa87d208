import type { Database } from 'better-sqlite3'
import type { ItemErrorCode } from '../../shared/jobs'
import { geohashMatches } from '../analysis/gps'
import { BasicHealthRepository } from '../catalog/repositories/basic-health.repository'

/**
 * The first health report: what import produces, counted from the rows (never from flags).
 * The full health feature extends this with derived data, reasons and the recommended plan.
 */
export interface BasicHealth {
  readonly totals: {
    readonly photos: number
    readonly present: number
    readonly missing: number
    readonly images: number
    readonly videos: number
    readonly bytes: number
  }
  readonly dates: {
    readonly dated: number
    readonly undated: number
    readonly bySource: readonly {
      readonly source: string
      readonly confidence: number
      readonly count: number
    }[]
    readonly suspicious: readonly { readonly reason: string; readonly count: number }[]
  }
  readonly gps: {
    readonly withGps: number
    readonly suspicious: number
    readonly nullIsland: number
  }
  readonly geohash: {
    readonly withGeohash: number
    /** GPS but no geohash (null-island excluded on purpose): the geohash job fixes these. */
    readonly missing: number
    readonly withoutGps: number
    /** Stored geohash that does not encode the stored coordinates. */
    readonly mismatched: number
  }
  readonly errors: readonly {
    readonly stage: string
    readonly code: ItemErrorCode
    readonly count: number
  }[]
}

export function basicHealth(db: Database): BasicHealth {
  const repo = new BasicHealthRepository(db)
  const c = repo.coverage()
  let mismatched = 0
  for (const row of repo.iterateGeohashes()) {
    if (!geohashMatches(row.geohash, row.gps_lat, row.gps_lon)) mismatched++
  }
  return {
    totals: {
      photos: c.photos,
      present: c.present,
      missing: c.missing,
      images: c.images,
      videos: c.videos,
      bytes: c.bytes,
    },
    dates: {
      dated: c.dated,
      undated: c.photos - c.dated,
      bySource: repo.dateSources(),
      suspicious: repo.suspiciousDates(),
    },
    gps: { withGps: c.gps, suspicious: c.gps_suspicious, nullIsland: c.null_island },
    geohash: {
      withGeohash: c.geohash,
      missing: c.gps_without_geohash,
      withoutGps: c.geohash_without_gps,
      mismatched,
    },
    errors: repo.errorsByCode(),
  }
}

const pct = (n: number, of: number) => (of > 0 ? `${((100 * n) / of).toFixed(1)}%` : '–')

/** The report as text lines (CLI). */
export function basicHealthLines(h: BasicHealth): string[] {
  const t = h.totals
  const lines = [
    `photos      ${t.photos} (${t.images} images, ${t.videos} videos, ${(t.bytes / 1e9).toFixed(2)} GB); ${t.missing} missing on disk`,
    `dates       ${h.dates.dated} dated (${pct(h.dates.dated, t.photos)}), ${h.dates.undated} undated`,
    ...h.dates.bySource.map(
      (s) =>
        `  ${s.source.padEnd(12)} ${String(s.count).padStart(8)}  ${pct(s.count, t.photos).padStart(6)}  confidence ${s.confidence}`,
    ),
    ...h.dates.suspicious.map((s) => `  suspicious ${s.reason}: ${s.count}`),
    `gps         ${h.gps.withGps} with GPS (${pct(h.gps.withGps, t.photos)}); ${h.gps.suspicious} suspicious (${h.gps.nullIsland} at 0,0)`,
    `geohash     ${h.geohash.withGeohash} (${pct(h.geohash.withGeohash, h.gps.withGps - h.gps.nullIsland)} of usable GPS); ${h.geohash.missing} missing, ${h.geohash.mismatched} mismatched, ${h.geohash.withoutGps} without GPS`,
    `errors      ${h.errors.reduce((n, e) => n + e.count, 0)}`,
    ...h.errors.map((e) => `  ${e.stage}/${e.code}: ${e.count}`),
  ]
  return lines
}
