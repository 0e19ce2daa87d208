import type { Database } from 'better-sqlite3'
import path from 'node:path'
import type {
  ConsistencyCheckDto,
  CoverageDto,
  GroupStatsDto,
  HealthDatum,
  HealthReportDto,
  MissingReason,
  ProblemDto,
  ReasonCountDto,
} from '../../shared/contract/health'
import { DATUM_LABELS, MAX_RETRY_ATTEMPTS, isTransientError } from '../../shared/health'
import type { ItemErrorCode, JobKind } from '../../shared/jobs'
import type { CatalogPaths } from '../catalog/paths'
import {
  HealthRepository,
  type DerivedDatum,
  type HealthScope,
} from '../catalog/repositories/health.repository'
import { FilePresence } from './file-presence'
import { geohashState } from './geohash-check'
import { percentOf } from './plan'
import { reviewCounts } from './review-counts'
import { lastVerifyFor } from './verify-record'

/** Example paths per reason or check. */
const EXAMPLES = 3

export interface HealthDeps {
  readonly db: Database
  readonly paths: CatalogPaths
  /** Shared across reports so unchanged thumbnail folders are not listed again. */
  readonly files?: FilePresence
  /** Whether ffmpeg is on this machine (needs_ffmpeg errors become retryable). */
  readonly ffmpegAvailable?: boolean
  readonly now?: () => Date
}

const defaultPresence = new FilePresence()

/** Reasons whose items a processing job would pick up on its next run. */
const FIXABLE: readonly MissingReason[] = ['never_processed', 'outdated', 'file_missing']

/** Computes the health report of the catalog or one folder. */
export async function computeHealth(deps: HealthDeps, scope: HealthScope): Promise<HealthReportDto> {
  const { db, paths } = deps
  const now = deps.now?.() ?? new Date()
  const repo = new HealthRepository(db)
  const presence = deps.files ?? defaultPresence

  // 1. Which thumbnails' files are gone (file system, timed apart from the SQL).
  const tFiles = performance.now()
  const schema = repo.schema()
  let thumbRowsMissingFile = 0
  const missingThumbExamples: string[] = []
  if (schema.thumbnails) {
    const rows = repo.currentThumbnailFiles(scope)
    const absolute = rows.map((r) => path.resolve(paths.cacheDir, r.path))
    const missing = await presence.missing(absolute)
    const photoIds = new Set<number>()
    rows.forEach((r, i) => {
      if (missing.has(absolute[i] as string)) {
        photoIds.add(r.photo_id)
        thumbRowsMissingFile++
        if (missingThumbExamples.length < EXAMPLES) missingThumbExamples.push(absolute[i] as string)
      }
    })
    repo.setThumbnailsMissingFile(photoIds)
  }
  const filesMs = performance.now() - tFiles

  // 2. Everything else is SQL over the catalog (plus decoding geohashes).
  const tSql = performance.now()
  const lastVerify = lastVerifyFor(db, scope.folder)
  const totals = repo.photoTotals(scope, lastVerify?.at ?? null)
  const dateFlags = repo.flagCounts(scope, 'date_suspicious')
  const gpsFlags = repo.flagCounts(scope, 'gps_suspicious')

  let mismatch = 0
  const mismatchExamples: string[] = []
  for (const row of repo.iterateGeohashed(scope)) {
    if (geohashState(row.geohash, row.gps_lat, row.gps_lon) === 'mismatch') {
      mismatch++
      if (mismatchExamples.length < EXAMPLES) mismatchExamples.push(row.path)
    }
  }

  const datums = repo.derivedDatums(schema)
  const tuples = repo.stateTuples(scope, datums)
  const derived = new Map<string, { have: number; missing: Map<MissingReason, ReasonCountDto> }>()
  let analyzePending = 0
  let clipPending = 0
  for (const d of datums) derived.set(d.datum, { have: 0, missing: new Map() })
  for (const tuple of tuples) {
    let needsAnalyze = false
    let needsClip = false
    for (const d of datums) {
      const state = tuple[d.datum] as string
      const entry = derived.get(d.datum)
      if (!entry) continue
      if (state === 'ok') {
        entry.have += tuple.count
        continue
      }
      const reason = state as MissingReason
      const prev = entry.missing.get(reason)
      const examples = [...(prev?.examples ?? [])]
      for (const p of [tuple.first_path, tuple.last_path]) {
        if (examples.length < EXAMPLES && !examples.includes(p)) examples.push(p)
      }
      entry.missing.set(reason, { reason, count: (prev?.count ?? 0) + tuple.count, examples })
      if (FIXABLE.includes(reason)) {
        if (d.job === 'analyze') needsAnalyze = true
        if (d.job === 'clip') needsClip = true
      }
    }
    if (needsAnalyze) analyzePending += tuple.count
    if (needsClip) clipPending += tuple.count
  }

  const problems: ProblemDto[] = repo.problems(scope, MAX_RETRY_ATTEMPTS).map((r) => {
    const transient = isTransientError(r.code, deps.ffmpegAvailable ?? false)
    return {
      stage: r.stage,
      code: r.code,
      count: r.count,
      transient,
      retryable: transient ? r.under_max : 0,
      examples: [...new Set([r.first_path, r.last_path])],
    }
  })
  const notImported = repo.notImported(scope)
  const removed = repo.removedCount(scope)
  const groups = repo.groupStats(schema, scope)
  if (scope.folder === undefined && schema.duplicates && schema.bursts) {
    // Whole catalog: the review feature's own counts (what its sidebar shows), plus the bytes.
    const review = reviewCounts(db)
    const { bytesReclaimable, ...dupes } = review.duplicates
    groups.duplicates = { ...groups.duplicates, ...dupes, bytesReclaimable }
    groups.bursts = { ...groups.bursts, ...review.bursts }
  }
  const clipModel = repo.activeClipModel(schema)
  const sqlMs = performance.now() - tSql

  // 3. Assemble.
  const coverage: CoverageDto[] = []
  coverage.push(
    simpleCoverage('dates', totals.photos, totals.dated, [
      { reason: 'never_processed', count: totals.photos - totals.dated, examples: [] },
    ], 'import'),
  )
  coverage.push({
    ...simpleCoverage('gps', totals.photos, totals.gps, [], null),
    informational: true,
  })
  coverage.push(
    simpleCoverage(
      'geohash',
      totals.gps,
      totals.gps - totals.gps_no_geohash - mismatch,
      [
        {
          reason: 'never_processed',
          count: totals.gps_no_geohash,
          examples: repo.geohashExamples(scope, 'gps-without-geohash', EXAMPLES),
        },
        { reason: 'mismatch', count: mismatch, examples: mismatchExamples },
      ],
      'geohash',
    ),
  )
  for (const datum of ['thumbnails', 'hashes', 'quality', 'embeddings'] as const) {
    const d = datums.find((x) => x.datum === datum)
    const entry = derived.get(datum)
    if (!d || !entry) {
      coverage.push(unavailable(datum, repo.unavailableReason(schema, datum)))
      continue
    }
    const missingBy = [...entry.missing.values()].sort((a, b) => b.count - a.count)
    coverage.push({
      datum,
      label: DATUM_LABELS[datum],
      available: true,
      unavailableReason: null,
      eligible: totals.photos,
      have: entry.have,
      missing: totals.photos - entry.have,
      percent: percentOf(entry.have, totals.photos),
      missingBy,
      informational: false,
      job: d.job,
      stage: d.job === 'clip' ? 'clip' : 'analyze',
    })
  }

  const consistency: ConsistencyCheckDto[] = [
    check('gps-without-geohash', 'GPS position without a geohash', totals.gps_no_geohash,
      repo.geohashExamples(scope, 'gps-without-geohash', EXAMPLES), 'geohash'),
    check('geohash-without-gps', 'geohash without a valid GPS position', totals.geohash_no_gps,
      repo.geohashExamples(scope, 'geohash-without-gps', EXAMPLES), 'geohash'),
    check('geohash-mismatch', 'geohash does not encode the GPS position (or not at full precision)',
      mismatch, mismatchExamples, 'geohash'),
    {
      ...check('thumbnail-file-missing', 'current thumbnail row whose file is gone',
        thumbRowsMissingFile, missingThumbExamples, 'analyze'),
      available: schema.thumbnails,
      note: !schema.thumbnails ? 'no thumbnails table in this catalog yet' : null,
    },
    check('original-vanished', 'original file vanished (marked missing)', totals.vanished,
      repo.vanishedExamples(scope, EXAMPLES), 'verify'),
    {
      ...check('original-changed', 'original changed on disk since it was analysed (found by verify)',
        lastVerify?.changed ?? 0, [], 'analyze'),
      available: lastVerify !== null,
      note:
        lastVerify === null
          ? 'never verified: run `vam run verify` to compare originals with the catalog'
          : `as of the verify of ${lastVerify.at} (job ${lastVerify.jobId})`,
    },
  ]

  const retryable = problems.reduce((s, p) => s + p.retryable, 0)
  // The clip job embeds every photo lacking a vector, so once retry-failed cleared a transient
  // clip error the photo is clip's work again.
  const clipRetry = problems.filter((p) => p.stage === 'clip').reduce((s, p) => s + p.retryable, 0)
  return {
    generatedAt: now.toISOString(),
    catalogPath: paths.catalogFile,
    folder: scope.folder ?? null,
    totals: {
      photos: totals.photos,
      present: totals.present,
      vanished: totals.vanished,
      images: totals.photos - totals.videos,
      videos: totals.videos,
      bytes: totals.bytes,
      folders: totals.folders,
      notImported,
      removed,
    },
    coverage,
    dates: {
      bands: [
        { band: 'exif', count: totals.band_exif },
        { band: 'derived', count: totals.band_derived },
        { band: 'folder', count: totals.band_folder },
        { band: 'file-time', count: totals.band_file_time },
        { band: 'none', count: totals.photos - totals.dated },
      ],
      suspicious: dateFlags,
    },
    gpsSuspicious: gpsFlags,
    duplicates: groups.duplicates,
    bursts: groups.bursts,
    consistency,
    verify: { last: lastVerify, notVerifiedSince: totals.imported_after_verify },
    problems,
    pending: {
      analyze: analyzePending,
      clip: clipModel === null ? 0 : clipPending + clipRetry,
      geohash: totals.gps_no_geohash + totals.geohash_no_gps + mismatch,
      geohashRows: totals.geohash_rows,
      retry: retryable,
      verify: totals.photos,
    },
    clipModel,
    timing: { sqlMs: round1(sqlMs), filesMs: round1(filesMs) },
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10
}

function simpleCoverage(
  datum: HealthDatum,
  eligible: number,
  have: number,
  reasons: ReasonCountDto[],
  job: JobKind | null,
): CoverageDto {
  return {
    datum,
    label: DATUM_LABELS[datum],
    available: true,
    unavailableReason: null,
    eligible,
    have,
    missing: eligible - have,
    percent: percentOf(have, eligible),
    missingBy: reasons.filter((r) => r.count > 0),
    informational: false,
    job,
    stage: null,
  }
}

function unavailable(datum: HealthDatum, reason: string): CoverageDto {
  return {
    datum,
    label: DATUM_LABELS[datum],
    available: false,
    unavailableReason: reason,
    eligible: 0,
    have: 0,
    missing: 0,
    percent: 0,
    missingBy: [],
    informational: false,
    job: null,
    stage: null,
  }
}

function check(
  id: ConsistencyCheckDto['check'],
  label: string,
  count: number,
  examples: readonly string[],
  fix: JobKind | null,
): ConsistencyCheckDto {
  return { check: id, label, count, examples, fix, available: true, note: null }
}

export type { DerivedDatum, GroupStatsDto, ItemErrorCode }
