import type { Database } from 'better-sqlite3'
import path from 'node:path'
import type {
  ConsistencyCheckDto,
  CoverageDto,
  DateBand,
  HealthDatum,
  HealthReportDto,
  MissingReason,
  ProblemDto,
  ReasonCountDto,
} from '../../shared/contract/health'
import { DATUM_LABELS, MAX_RETRY_ATTEMPTS, isTransientError } from '../../shared/health'
import type { JobKind } from '../../shared/jobs'
import type { CatalogPaths } from '../catalog/paths'
import {
  DATE_BAND_CODES,
  GPS_STATE_CODES,
  HealthRepository,
  ID_RADIX,
  STATE_KEY_FIELDS,
  decodeStateKey,
  type DerivedDatum,
  type HealthScope,
  type StateKeyField,
} from '../catalog/repositories/health.repository'
import { FilePresence } from './file-presence'
import { isGeohashMismatch } from './geohash-check'
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

/** One group of photos sharing a state key, error codes and flags, with two example ids. */
interface StateGroup {
  readonly key: number
  readonly analyze_code: string | null
  readonly clip_code: string | null
  readonly date_suspicious: string | null
  readonly gps_suspicious: string | null
  count: number
  first_id: number
  last_id: number
}

/** Counts with up to EXAMPLES example photo ids, accumulated over groups. */
class Tally {
  count = 0
  readonly ids: number[] = []
  add(group: StateGroup): void {
    this.count += group.count
    for (const id of [group.first_id, group.last_id]) {
      if (this.ids.length < EXAMPLES && !this.ids.includes(id)) this.ids.push(id)
    }
  }
}

function tallies<K extends string>(): Map<K, Tally> {
  return new Map<K, Tally>()
}

function tallyOf<K extends string>(map: Map<K, Tally>, key: K): Tally {
  let t = map.get(key)
  if (!t) {
    t = new Tally()
    map.set(key, t)
  }
  return t
}

const GPS_OK = GPS_STATE_CODES.indexOf('ok')
const GPS_MISMATCH = GPS_STATE_CODES.indexOf('mismatch')

/** Radix of a key field: what to add to a key to set that field from 0 to 1. */
function fieldUnit(field: StateKeyField): number {
  let unit = 1
  for (const [name, radix] of STATE_KEY_FIELDS) {
    if (name === field) return unit
    unit *= radix
  }
  throw new Error(`no key field ${field}`)
}

/**
 * Groups the packed keys of the pass by key — and, for the few photos with an error code, a date
 * or GPS flag, a missing thumbnail file or a wrong geohash, by those too. A Map over 100k numbers
 * is much cheaper than SQLite's GROUP BY sort.
 */
function groupKeys(
  packed: readonly number[],
  extras: {
    readonly errors: ReadonlyMap<number, { analyze: string | null; clip: string | null }>
    readonly flags: ReadonlyMap<number, { date: string | null; gps: string | null }>
    readonly thumbFileMissing: ReadonlySet<number>
    readonly geohashMismatch: ReadonlySet<number>
  },
): StateGroup[] {
  const plain = new Map<number, StateGroup>()
  const special = new Map<string, StateGroup>()
  const fileUnit = fieldUnit('thumbFileMissing')
  const gpsUnit = fieldUnit('gpsState')
  const gpsRadix = GPS_STATE_CODES.length
  for (const value of packed) {
    const id = value % ID_RADIX
    let key = (value - id) / ID_RADIX
    const error = extras.errors.get(id)
    const flag = extras.flags.get(id)
    const rare = error !== undefined || flag !== undefined
    if (extras.thumbFileMissing.has(id)) key += fileUnit
    if (Math.floor(key / gpsUnit) % gpsRadix === GPS_OK && extras.geohashMismatch.has(id)) {
      key += (GPS_MISMATCH - GPS_OK) * gpsUnit
    }
    let group: StateGroup | undefined
    if (!rare) {
      group = plain.get(key)
      if (!group) {
        group = {
          key,
          analyze_code: null,
          clip_code: null,
          date_suspicious: null,
          gps_suspicious: null,
          count: 0,
          first_id: id,
          last_id: id,
        }
        plain.set(key, group)
      }
    } else {
      const name = `${key}|${error?.analyze ?? ''}|${error?.clip ?? ''}|${flag?.date ?? ''}|${flag?.gps ?? ''}`
      group = special.get(name)
      if (!group) {
        group = {
          key,
          analyze_code: error?.analyze ?? null,
          clip_code: error?.clip ?? null,
          date_suspicious: flag?.date ?? null,
          gps_suspicious: flag?.gps ?? null,
          count: 0,
          first_id: id,
          last_id: id,
        }
        special.set(name, group)
      }
    }
    group.count++
    if (id < group.first_id) group.first_id = id
    if (id > group.last_id) group.last_id = id
  }
  return [...plain.values(), ...special.values()]
}

/** Computes the health report of the catalog or one folder. */
export async function computeHealth(
  deps: HealthDeps,
  scope: HealthScope,
): Promise<HealthReportDto> {
  const { db, paths } = deps
  const now = deps.now?.() ?? new Date()
  const repo = new HealthRepository(db)
  const presence = deps.files ?? defaultPresence

  // 1. Which thumbnails' files are gone (file system, timed apart from the SQL).
  const tFiles = performance.now()
  const schema = repo.schema()
  let thumbFilesMissing = 0
  let missingThumbExamples: string[] = []
  const thumbFileMissing = new Set<number>()
  if (schema.thumbnails) {
    const rows = repo.currentThumbnails(scope)
    const base = paths.cacheDir.endsWith(path.sep) ? paths.cacheDir : paths.cacheDir + path.sep
    // Concatenation, not path.resolve: 200k calls of the latter cost more than the listing.
    const absolute = rows.map((row) => {
      const rel = row.slice(row.indexOf('\t') + 1)
      return path.isAbsolute(rel) ? rel : base + rel
    })
    const missing = await presence.missing(absolute)
    if (missing.size > 0) {
      rows.forEach((row, i) => {
        if (missing.has(absolute[i] as string))
          thumbFileMissing.add(Number(row.slice(0, row.indexOf('\t'))))
      })
    }
    thumbFilesMissing = missing.size
    missingThumbExamples = [...missing].sort().slice(0, EXAMPLES)
  }
  const filesMs = performance.now() - tFiles

  // 2. Geohashes decoded and compared with their positions (JS: SQLite cannot decode them).
  const tGeo = performance.now()
  const geohashMismatch = new Set<number>()
  for (const [id, geohash, lat, lon] of repo.geotagged(scope)) {
    if (isGeohashMismatch(geohash, lat, lon)) geohashMismatch.add(id)
  }
  const geohashMs = performance.now() - tGeo

  // 3. The SQL: one pass over the photos (grouped here), then small reads.
  const tSql = performance.now()
  const lastVerify = lastVerifyFor(db, scope.folder)
  const datums = repo.derivedDatums(schema)
  const packed = repo.photoKeys(scope, datums, lastVerify?.at ?? null)
  const flaggedUnit = fieldUnit('flagged')
  const flaggedIds = packed
    .filter((v) => Math.floor(v / ID_RADIX / flaggedUnit) % 2 === 1)
    .map((v) => v % ID_RADIX)
  const groups = groupKeys(packed, {
    errors: repo.errorCodesByPhoto(),
    flags: new Map(repo.flagsOf(flaggedIds).map((f) => [f.id, f])),
    thumbFileMissing,
    geohashMismatch,
  })
  const folders = repo.folderCount(scope)
  const bytes = repo.bytes(scope)

  const total = new Tally()
  let videos = 0
  let notVerifiedSince = 0
  const vanished = new Tally()
  const bands = tallies<DateBand>()
  const gpsStates = tallies<(typeof GPS_STATE_CODES)[number]>()
  const dateFlags = tallies<string>()
  const gpsFlags = tallies<string>()
  const have = new Map<string, number>()
  const missingBy = new Map<string, Map<MissingReason, Tally>>()
  for (const d of datums) {
    have.set(d.datum, 0)
    missingBy.set(d.datum, tallies<MissingReason>())
  }
  let analyzePending = 0
  let clipPending = 0
  for (const group of groups) {
    const f = decodeStateKey(group.key)
    total.add(group)
    if (f.video) videos += group.count
    if (f.importedAfterVerify) notVerifiedSince += group.count
    if (f.vanished) vanished.add(group)
    tallyOf(bands, DATE_BAND_CODES[f.dateBand] as DateBand).add(group)
    tallyOf(gpsStates, GPS_STATE_CODES[f.gpsState] as (typeof GPS_STATE_CODES)[number]).add(group)
    if (group.date_suspicious) tallyOf(dateFlags, group.date_suspicious).add(group)
    if (group.gps_suspicious) tallyOf(gpsFlags, group.gps_suspicious).add(group)
    let needsAnalyze = false
    let needsClip = false
    for (const d of datums) {
      const reason = reasonOf(d, f, group)
      if (reason === null) {
        have.set(d.datum, (have.get(d.datum) ?? 0) + group.count)
        continue
      }
      tallyOf(missingBy.get(d.datum) as Map<MissingReason, Tally>, reason).add(group)
      if (FIXABLE.includes(reason)) {
        if (d.job === 'analyze') needsAnalyze = true
        if (d.job === 'clip') needsClip = true
      }
    }
    if (needsAnalyze) analyzePending += group.count
    if (needsClip) clipPending += group.count
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
  const groupStats = repo.groupStats(schema, scope)
  if (scope.folder === undefined && schema.duplicates && schema.bursts) {
    // Whole catalog: the review feature's own counts (what its sidebar shows), plus the bytes.
    const review = reviewCounts(db)
    const { bytesReclaimable, ...dupes } = review.duplicates
    groupStats.duplicates = { ...groupStats.duplicates, ...dupes, bytesReclaimable }
    groupStats.bursts = { ...groupStats.bursts, ...review.bursts }
  }
  const clipModel = repo.activeClipModel(schema)

  // Example paths of every tally, in one read.
  const allTallies: Tally[] = [
    vanished,
    ...gpsStates.values(),
    ...[...missingBy.values()].flatMap((m) => [...m.values()]),
  ]
  const pathOf = repo.pathsOf([...new Set(allTallies.flatMap((t) => t.ids))])
  const examples = (t: Tally | undefined) =>
    (t?.ids ?? []).map((id) => pathOf.get(id)).filter((p): p is string => p !== undefined)
  const sqlMs = performance.now() - tSql

  // 3. Assemble.
  const photos = total.count
  const count = (t: Tally | undefined) => t?.count ?? 0
  const gps =
    count(gpsStates.get('ok')) + count(gpsStates.get('missing')) + count(gpsStates.get('mismatch'))
  const dated = photos - count(bands.get('none'))
  const coverage: CoverageDto[] = []
  coverage.push(
    simpleCoverage(
      'dates',
      photos,
      dated,
      [{ reason: 'never_processed', count: photos - dated, examples: [] }],
      'import',
    ),
  )
  coverage.push({ ...simpleCoverage('gps', photos, gps, [], null), informational: true })
  coverage.push(
    simpleCoverage(
      'geohash',
      gps,
      count(gpsStates.get('ok')),
      [
        {
          reason: 'never_processed',
          count: count(gpsStates.get('missing')),
          examples: examples(gpsStates.get('missing')),
        },
        {
          reason: 'mismatch',
          count: count(gpsStates.get('mismatch')),
          examples: examples(gpsStates.get('mismatch')),
        },
      ],
      'geohash',
    ),
  )
  for (const datum of ['thumbnails', 'hashes', 'quality', 'embeddings'] as const) {
    const d = datums.find((x) => x.datum === datum)
    if (!d) {
      coverage.push(unavailable(datum, repo.unavailableReason(schema, datum)))
      continue
    }
    const got = have.get(datum) ?? 0
    const reasons = [...(missingBy.get(datum) ?? new Map<MissingReason, Tally>()).entries()]
      .map(([reason, t]) => ({ reason, count: t.count, examples: examples(t) }))
      .sort((a, b) => b.count - a.count)
    coverage.push({
      datum,
      label: DATUM_LABELS[datum],
      available: true,
      unavailableReason: null,
      eligible: photos,
      have: got,
      missing: photos - got,
      percent: percentOf(got, photos),
      missingBy: reasons,
      informational: false,
      job: d.job,
      stage: d.job === 'clip' ? 'clip' : 'analyze',
    })
  }

  const consistency: ConsistencyCheckDto[] = [
    check(
      'gps-without-geohash',
      'GPS position without a geohash',
      count(gpsStates.get('missing')),
      examples(gpsStates.get('missing')),
      'geohash',
    ),
    check(
      'geohash-without-gps',
      'Geohash without a valid GPS position',
      count(gpsStates.get('orphan')),
      examples(gpsStates.get('orphan')),
      'geohash',
    ),
    check(
      'geohash-mismatch',
      'Geohash does not encode the GPS position (or is not at full precision)',
      count(gpsStates.get('mismatch')),
      examples(gpsStates.get('mismatch')),
      'geohash',
    ),
    {
      ...check(
        'thumbnail-file-missing',
        'Current thumbnail row whose file is gone',
        thumbFilesMissing,
        missingThumbExamples,
        'analyze',
      ),
      available: schema.thumbnails,
      note: !schema.thumbnails ? 'no thumbnails table in this catalog yet' : null,
    },
    check(
      'original-vanished',
      'Original file vanished (marked missing)',
      vanished.count,
      examples(vanished),
      'verify',
    ),
    {
      ...check(
        'original-changed',
        'Original changed on disk since it was analysed (found by verify)',
        lastVerify?.changed ?? 0,
        [],
        'analyze',
      ),
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
  const flagList = (m: Map<string, Tally>) =>
    [...m.entries()]
      .map(([flag, t]) => ({ flag, count: t.count }))
      .sort((a, b) => b.count - a.count)
  return {
    generatedAt: now.toISOString(),
    catalogPath: paths.catalogFile,
    folder: scope.folder ?? null,
    totals: {
      photos,
      present: photos - vanished.count,
      vanished: vanished.count,
      images: photos - videos,
      videos,
      bytes,
      folders,
      notImported,
      removed,
    },
    coverage,
    dates: {
      bands: DATE_BAND_CODES.map((band) => ({ band, count: count(bands.get(band)) })),
      suspicious: flagList(dateFlags),
    },
    gpsSuspicious: flagList(gpsFlags),
    duplicates: groupStats.duplicates,
    bursts: groupStats.bursts,
    consistency,
    verify: { last: lastVerify, notVerifiedSince },
    problems,
    pending: {
      analyze: analyzePending,
      clip: clipModel === null ? 0 : clipPending + clipRetry,
      geohash:
        count(gpsStates.get('missing')) +
        count(gpsStates.get('mismatch')) +
        count(gpsStates.get('orphan')),
      geohashRows: photos - count(gpsStates.get('none')),
      retry: retryable,
      verify: photos,
    },
    clipModel,
    timing: { sqlMs: round1(sqlMs), geohashMs: round1(geohashMs), filesMs: round1(filesMs) },
  }
}

/**
 * Why a group's photos lack a datum — the first that applies: current (null, not missing), the
 * original vanished, the stage's error, a current thumbnail whose file is gone, rows of an older
 * version or file (outdated), nothing at all (never processed).
 */
function reasonOf(
  d: DerivedDatum,
  f: ReturnType<typeof decodeStateKey>,
  group: StateGroup,
): MissingReason | null {
  const state = f[d.datum]
  const fileGone = d.datum === 'thumbnails' && f.thumbFileMissing === 1
  if (state === 2 && !fileGone) return null
  if (f.vanished === 1) return 'vanished'
  const code = group[d.errorColumn]
  if (code !== null) return code as MissingReason
  if (state === 2) return 'file_missing'
  return state === 1 ? 'outdated' : 'never_processed'
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
