import type { Database } from 'better-sqlite3'
import type { GroupStatsDto, HealthDatum } from '../../../shared/contract/health'
import type { ItemErrorCode, JobKind } from '../../../shared/jobs'
import { HASH_ALGO_VERSION } from '../../analysis/hashes'
import { QUALITY_VERSION } from '../../analysis/quality'
import { filterClause, likePrefix } from './photo.repository'
import { THUMBNAIL_SIZES, THUMBNAIL_VERSION } from './thumbnail.repository'

/**
 * Health's reads: every count the report shows, derived from the rows themselves (never from
 * flags, which drift). Built to stay within ~200 ms at 100k photos: one pass over `photos` for
 * totals/dates/GPS, one grouped pass for the derived data's coverage, small grouped reads for the
 * rest. Tables of features not in this catalog yet are detected in sqlite_master, never assumed.
 */

/** The scope of a report: the whole catalog, or one folder and its sub-folders. */
export interface HealthScope {
  readonly folder?: string
}

export interface PhotoTotalsRow {
  photos: number
  present: number
  vanished: number
  videos: number
  bytes: number
  folders: number
  dated: number
  band_exif: number
  band_derived: number
  band_folder: number
  band_file_time: number
  gps: number
  gps_no_geohash: number
  geohash_no_gps: number
  geohash_rows: number
  imported_after_verify: number
}

/**
 * item_errors stages that explain a missing derived datum. The analyze job records its failures
 * under 'analyze' (one decode feeds thumbnails, hashes and quality, so one failure explains all
 * three); CLIP under 'clip'.
 */
export const ANALYZE_STAGES: readonly string[] = ['analyze']
export const CLIP_STAGES: readonly string[] = ['clip']

/** Which features' tables this catalog has (their migrations ran). */
export interface HealthSchema {
  readonly thumbnails: boolean
  readonly hashes: boolean
  readonly quality: boolean
  readonly embeddings: boolean
  readonly clipModels: boolean
  readonly duplicates: boolean
  readonly bursts: boolean
}

/** A derived datum as SQL over the photo row `p` and its errors `e`. */
export interface DerivedDatum {
  readonly datum: Extract<HealthDatum, 'thumbnails' | 'hashes' | 'quality' | 'embeddings'>
  readonly job: JobKind
  /** Boolean SQL: `p` has current data. */
  readonly current: string
  /** Boolean SQL: `p` has data of any version. */
  readonly any: string
  /** Column of the error sub-select that explains a missing value. */
  readonly errorColumn: 'analyze_code' | 'clip_code'
  /** Boolean SQL: current rows exist but a file they point at is gone (thumbnails). */
  readonly fileMissing?: string
}

/** One combination of per-datum states, how many photos share it, and two example paths. */
export type StateTupleRow = Record<string, string | number> & {
  count: number
  first_path: string
  last_path: string
}

/**
 * "Current" as the analyze job defines it: the code's version, made from the file as it is now
 * (source_mtime_ms equals the photo's mtime_ms; null in rows from before that column existed).
 */
const fresh = (alias: string) =>
  `(${alias}.source_mtime_ms IS NULL OR ${alias}.source_mtime_ms = p.mtime_ms)`

const DERIVED_PARAMS = {
  thumbVersion: THUMBNAIL_VERSION,
  thumbSizes: THUMBNAIL_SIZES.length,
  hashVersion: HASH_ALGO_VERSION,
  qualityVersion: QUALITY_VERSION,
}

export class HealthRepository {
  constructor(private readonly db: Database) {}

  /** Names of the tables in this catalog (features add theirs with their migrations). */
  tables(): Set<string> {
    const rows = this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
      name: string
    }[]
    return new Set(rows.map((r) => r.name))
  }

  columns(table: string): Set<string> {
    const rows = this.db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as {
      name: string
    }[]
    return new Set(rows.map((r) => r.name))
  }

  private removedTable: boolean | undefined

  /**
   * Whether review has removed photos (duplicate/burst resolution moved their files to the trash
   * or quarantine). Their rows stay for undo, with `missing_since` set; they are the user's
   * decision, not a gap, so health leaves them out of every count but `removed`.
   */
  private hasRemoved(): boolean {
    this.removedTable ??= this.tables().has('removed_photos')
    return this.removedTable
  }

  /** WHERE clause over photos `p` for a scope (removed photos excluded). */
  scopeClause(scope: HealthScope): { sql: string; params: Record<string, unknown> } {
    const { sql, params } = filterClause(
      scope.folder === undefined ? undefined : { folder: scope.folder },
    )
    if (!this.hasRemoved()) return { sql, params }
    const notRemoved = 'p.id NOT IN (SELECT photo_id FROM removed_photos)'
    return { sql: sql ? `${sql} AND ${notRemoved}` : `WHERE ${notRemoved}`, params }
  }

  /** Photos in scope that review removed (see hasRemoved). */
  removedCount(scope: HealthScope): number {
    if (!this.hasRemoved()) return 0
    const { sql, params } = filterClause(
      scope.folder === undefined ? undefined : { folder: scope.folder },
    )
    const where = sql ? `${sql} AND` : 'WHERE'
    return (
      this.db
        .prepare(
          `SELECT COUNT(*) AS n FROM photos p ${where} p.id IN (SELECT photo_id FROM removed_photos)`,
        )
        .get(params) as { n: number }
    ).n
  }

  /** Totals, date bands, GPS/geohash presence in one pass. */
  photoTotals(scope: HealthScope, lastVerifyAt: string | null): PhotoTotalsRow {
    const { sql, params } = this.scopeClause(scope)
    // A valid position: within range and not 0,0 (import keeps 0,0 flagged, without a geohash).
    const validGps = `(p.gps_lat IS NOT NULL AND p.gps_lon IS NOT NULL AND p.gps_lat BETWEEN -90 AND 90
      AND p.gps_lon BETWEEN -180 AND 180 AND NOT (p.gps_lat = 0 AND p.gps_lon = 0))`
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS photos,
           COALESCE(SUM(p.missing_since IS NULL), 0) AS present,
           COALESCE(SUM(p.missing_since IS NOT NULL), 0) AS vanished,
           COALESCE(SUM(p.media_kind = 'video'), 0) AS videos,
           COALESCE(SUM(p.size), 0) AS bytes,
           COUNT(DISTINCT p.folder) AS folders,
           COALESCE(SUM(p.taken_at IS NOT NULL), 0) AS dated,
           COALESCE(SUM(p.taken_at IS NOT NULL AND p.date_confidence >= 95), 0) AS band_exif,
           COALESCE(SUM(p.taken_at IS NOT NULL AND p.date_confidence >= 70 AND p.date_confidence < 95), 0) AS band_derived,
           COALESCE(SUM(p.taken_at IS NOT NULL AND p.date_confidence >= 50 AND p.date_confidence < 70), 0) AS band_folder,
           COALESCE(SUM(p.taken_at IS NOT NULL AND (p.date_confidence < 50 OR p.date_confidence IS NULL)), 0) AS band_file_time,
           COALESCE(SUM(${validGps}), 0) AS gps,
           COALESCE(SUM(${validGps} AND p.geohash IS NULL), 0) AS gps_no_geohash,
           COALESCE(SUM(p.geohash IS NOT NULL AND NOT ${validGps}), 0) AS geohash_no_gps,
           COALESCE(SUM(p.geohash IS NOT NULL OR p.gps_lat IS NOT NULL), 0) AS geohash_rows,
           COALESCE(SUM(@lastVerify IS NULL OR p.imported_at > @lastVerify), 0) AS imported_after_verify
         FROM photos p ${sql}`,
      )
      .get({ ...params, lastVerify: lastVerifyAt }) as PhotoTotalsRow
    return row
  }

  /** Counts of a flag column (date_suspicious, gps_suspicious) by value. */
  flagCounts(
    scope: HealthScope,
    column: 'date_suspicious' | 'gps_suspicious',
  ): { flag: string; count: number }[] {
    const { sql, params } = this.scopeClause(scope)
    const where = sql ? `${sql} AND p.${column} IS NOT NULL` : `WHERE p.${column} IS NOT NULL`
    return this.db
      .prepare(
        `SELECT p.${column} AS flag, COUNT(*) AS count FROM photos p ${where}
         GROUP BY p.${column} ORDER BY count DESC`,
      )
      .all(params) as { flag: string; count: number }[]
  }

  /** Examples of photos whose geohash disagrees in the cheap, SQL-visible ways. */
  geohashExamples(
    scope: HealthScope,
    kind: 'gps-without-geohash' | 'geohash-without-gps',
    limit: number,
  ): string[] {
    const { sql, params } = this.scopeClause(scope)
    const validGps = `(p.gps_lat IS NOT NULL AND p.gps_lon IS NOT NULL AND p.gps_lat BETWEEN -90 AND 90
      AND p.gps_lon BETWEEN -180 AND 180 AND NOT (p.gps_lat = 0 AND p.gps_lon = 0))`
    const cond =
      kind === 'gps-without-geohash'
        ? `${validGps} AND p.geohash IS NULL`
        : `p.geohash IS NOT NULL AND NOT ${validGps}`
    const where = sql ? `${sql} AND ${cond}` : `WHERE ${cond}`
    return (
      this.db
        .prepare(`SELECT p.path FROM photos p ${where} ORDER BY p.id LIMIT @limit`)
        .all({ ...params, limit }) as { path: string }[]
    ).map((r) => r.path)
  }

  /**
   * Rows with both a valid GPS position and a geohash, for the decode-and-compare check (done in
   * JS: SQLite cannot decode a geohash). Only the columns needed, in id order.
   */
  *iterateGeohashed(scope: HealthScope): IterableIterator<{
    path: string
    gps_lat: number
    gps_lon: number
    geohash: string
  }> {
    const { sql, params } = this.scopeClause(scope)
    const cond = 'p.geohash IS NOT NULL AND p.gps_lat IS NOT NULL AND p.gps_lon IS NOT NULL'
    const where = sql ? `${sql} AND ${cond}` : `WHERE ${cond}`
    yield* this.db
      .prepare(
        `SELECT p.path, p.gps_lat, p.gps_lon, p.geohash FROM photos p ${where} ORDER BY p.id`,
      )
      .iterate(params) as IterableIterator<{
      path: string
      gps_lat: number
      gps_lon: number
      geohash: string
    }>
  }

  /** Which feature tables exist. */
  schema(): HealthSchema {
    const t = this.tables()
    return {
      thumbnails: t.has('thumbnails'),
      hashes: t.has('hashes'),
      quality: t.has('quality'),
      embeddings: t.has('embeddings') && t.has('clip_models'),
      clipModels: t.has('clip_models'),
      duplicates: t.has('dup_groups') && t.has('dup_members'),
      bursts: t.has('bursts') && t.has('burst_members'),
    }
  }

  /** The model whose vectors count (the active one), or null. */
  activeClipModel(schema: HealthSchema): string | null {
    if (!schema.clipModels) return null
    const row = this.db
      .prepare('SELECT model_id FROM clip_models WHERE active = 1 LIMIT 1')
      .get() as { model_id: string } | undefined
    return row?.model_id ?? null
  }

  /** Why a datum cannot be reported (its feature is not in this catalog, or needs setup). */
  unavailableReason(schema: HealthSchema, datum: DerivedDatum['datum']): string {
    if (datum === 'embeddings') {
      return schema.embeddings
        ? 'no CLIP model is configured (choose one in Settings or run `vam model set DIR`)'
        : 'CLIP is not available in this catalog yet'
    }
    return `the ${datum} table is not in this catalog yet (analysis not available)`
  }

  /** The derived data this catalog can report on. */
  derivedDatums(schema: HealthSchema): DerivedDatum[] {
    const out: DerivedDatum[] = []
    if (schema.thumbnails) {
      out.push({
        datum: 'thumbnails',
        job: 'analyze',
        current: `(SELECT COUNT(*) FROM thumbnails t WHERE t.photo_id = p.id AND t.version = @thumbVersion
                   AND ${fresh('t')}) >= @thumbSizes`,
        any: 'EXISTS (SELECT 1 FROM thumbnails t WHERE t.photo_id = p.id)',
        errorColumn: 'analyze_code',
        fileMissing: 'p.id IN (SELECT photo_id FROM temp.health_thumb_missing)',
      })
    }
    if (schema.hashes) {
      out.push({
        datum: 'hashes',
        job: 'analyze',
        current: `EXISTS (SELECT 1 FROM hashes h WHERE h.photo_id = p.id AND h.algo_version = @hashVersion
                  AND ${fresh('h')})`,
        any: 'EXISTS (SELECT 1 FROM hashes h WHERE h.photo_id = p.id)',
        errorColumn: 'analyze_code',
      })
    }
    if (schema.quality) {
      out.push({
        datum: 'quality',
        job: 'analyze',
        current: `EXISTS (SELECT 1 FROM quality q WHERE q.photo_id = p.id AND q.version = @qualityVersion
                  AND ${fresh('q')})`,
        any: 'EXISTS (SELECT 1 FROM quality q WHERE q.photo_id = p.id)',
        errorColumn: 'analyze_code',
      })
    }
    if (schema.embeddings && this.activeClipModel(schema) !== null) {
      out.push({
        datum: 'embeddings',
        job: 'clip',
        current:
          'EXISTS (SELECT 1 FROM embeddings m WHERE m.photo_id = p.id AND m.model_id = @clipModel)',
        any: 'EXISTS (SELECT 1 FROM embeddings m WHERE m.photo_id = p.id)',
        errorColumn: 'clip_code',
      })
    }
    return out
  }

  /** Current thumbnail rows in scope (photo id and path relative to the cache dir). */
  currentThumbnailFiles(scope: HealthScope): { photo_id: number; path: string }[] {
    const { sql, params } = this.scopeClause(scope)
    const cond = `t.version = @thumbVersion AND ${fresh('t')}`
    const where = sql ? `${sql} AND ${cond}` : `WHERE ${cond}`
    return this.db
      .prepare(
        `SELECT t.photo_id, t.path FROM thumbnails t JOIN photos p ON p.id = t.photo_id ${where}`,
      )
      .all({ ...params, thumbVersion: THUMBNAIL_VERSION }) as { photo_id: number; path: string }[]
  }

  /**
   * Records which photos' current thumbnails lost their file, for the next stateTuples (a TEMP
   * table: per connection, never written to the catalog file, no write lock taken).
   */
  setThumbnailsMissingFile(photoIds: ReadonlySet<number>): void {
    this.db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS health_thumb_missing (photo_id INTEGER PRIMARY KEY)',
    )
    this.db.transaction(() => {
      this.db.exec('DELETE FROM temp.health_thumb_missing')
      const insert = this.db.prepare('INSERT INTO temp.health_thumb_missing (photo_id) VALUES (?)')
      for (const id of photoIds) insert.run(id)
    })()
  }

  /**
   * One grouped pass: for every photo in scope, the state of each derived datum ('ok', 'vanished',
   * an error code, 'file_missing', 'outdated', 'never_processed' — the first that applies),
   * grouped by the combination. A few dozen combinations at most, whatever the catalog size.
   */
  stateTuples(scope: HealthScope, datums: readonly DerivedDatum[]): StateTupleRow[] {
    if (datums.length === 0) return []
    if (datums.some((d) => d.fileMissing)) {
      this.db.exec(
        'CREATE TEMP TABLE IF NOT EXISTS health_thumb_missing (photo_id INTEGER PRIMARY KEY)',
      )
    }
    const { sql, params: scopeParams } = this.scopeClause(scope)
    const stages = (list: readonly string[]) =>
      list.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')
    const states = datums.map(
      (d) => `CASE
          WHEN ${d.current}${d.fileMissing ? ` AND NOT (${d.fileMissing})` : ''} THEN 'ok'
          WHEN p.missing_since IS NOT NULL THEN 'vanished'
          WHEN e.${d.errorColumn} IS NOT NULL THEN e.${d.errorColumn}
          ${d.fileMissing ? `WHEN ${d.current} THEN 'file_missing'` : ''}
          WHEN ${d.any} THEN 'outdated'
          ELSE 'never_processed' END AS ${d.datum}`,
    )
    const names = datums.map((d) => d.datum).join(', ')
    const clipModel = datums.some((d) => d.datum === 'embeddings')
      ? { clipModel: this.activeClipModel(this.schema()) }
      : {}
    return this.db
      .prepare(
        `SELECT ${names}, COUNT(*) AS count, MIN(path) AS first_path, MAX(path) AS last_path FROM (
           SELECT p.path AS path, ${states.join(',\n')}
           FROM photos p
           LEFT JOIN (SELECT photo_id,
                        MAX(CASE WHEN stage IN (${stages(ANALYZE_STAGES)}) THEN code END) AS analyze_code,
                        MAX(CASE WHEN stage IN (${stages(CLIP_STAGES)}) THEN code END) AS clip_code
                      FROM item_errors WHERE photo_id IS NOT NULL GROUP BY photo_id) e ON e.photo_id = p.id
           ${sql})
         GROUP BY ${names}`,
      )
      .all({ ...scopeParams, ...DERIVED_PARAMS, ...clipModel }) as StateTupleRow[]
  }

  /**
   * Duplicate and burst groups touching the scope (a group counts when any member is in it):
   * groups the user did not dismiss, the distinct photos in them, and those still open. Absent
   * tables make the section "not available", never an error.
   */
  groupStats(
    schema: HealthSchema,
    scope: HealthScope,
  ): { duplicates: GroupStatsDto; bursts: GroupStatsDto } {
    const { sql, params } = this.scopeClause(scope)
    const history = (kind: 'duplicates' | 'bursts') => {
      const last = this.lastCompleted(kind)
      return {
        lastRunAt: last?.finished_at ?? null,
        // New hashes/quality (analyze) or new photos (import) since the last run: groups are stale.
        stale: last
          ? this.workedSince('analyze', last.finished_at) ||
            this.workedSince('import', last.finished_at)
          : false,
      }
    }
    // The same definitions as the review feature's counts (health/review-counts.ts), so the
    // sidebar and this page agree: groups = every group found, unresolved = open groups, photos =
    // distinct photos in open groups. Here limited to groups with a member in scope.
    const counts = (groups: string, members: string, key: string) => {
      const inScope = (alias: string) =>
        sql
          ? `AND ${alias}.id IN (SELECT m.${key} FROM ${members} m JOIN photos p ON p.id = m.photo_id ${sql})`
          : ''
      return this.db
        .prepare(
          `SELECT COUNT(*) AS groups, COALESCE(SUM(g.status = 'open'), 0) AS unresolved,
             (SELECT COUNT(DISTINCT m2.photo_id) FROM ${members} m2 JOIN ${groups} g2 ON g2.id = m2.${key}
              WHERE g2.status = 'open' ${inScope('g2')}) AS photos
           FROM ${groups} g WHERE 1 = 1 ${inScope('g')}`,
        )
        .get(params) as { groups: number; unresolved: number; photos: number }
    }
    const none = (reason: string): GroupStatsDto => ({
      available: false,
      unavailableReason: reason,
      groups: 0,
      photos: 0,
      unresolved: 0,
      bytesReclaimable: null,
      lastRunAt: null,
      stale: false,
    })
    return {
      duplicates: schema.duplicates
        ? {
            available: true,
            unavailableReason: null,
            ...counts('dup_groups', 'dup_members', 'group_id'),
            bytesReclaimable: null,
            ...history('duplicates'),
          }
        : none('Duplicate detection is not available in this catalog yet.'),
      bursts: schema.bursts
        ? {
            available: true,
            unavailableReason: null,
            ...counts('bursts', 'burst_members', 'burst_id'),
            bytesReclaimable: null,
            ...history('bursts'),
          }
        : none('Burst detection is not available in this catalog yet.'),
    }
  }

  /**
   * Item errors in scope grouped by stage and code, with two example paths per group and how many
   * were tried fewer than `maxAttempts` times (still worth retrying if the cause is transient).
   */
  problems(
    scope: HealthScope,
    maxAttempts: number,
  ): {
    stage: string
    code: ItemErrorCode
    count: number
    under_max: number
    first_path: string
    last_path: string
  }[] {
    const conditions: string[] = []
    if (scope.folder !== undefined) {
      conditions.push(
        `(e.path LIKE @prefix ESCAPE '\\' OR e.photo_id IN (SELECT p.id FROM photos p ${this.scopeClause(scope).sql}))`,
      )
    }
    if (this.hasRemoved())
      conditions.push(
        '(e.photo_id IS NULL OR e.photo_id NOT IN (SELECT photo_id FROM removed_photos))',
      )
    const inScope = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''
    return this.db
      .prepare(
        `SELECT e.stage, e.code, COUNT(*) AS count, COALESCE(SUM(e.attempts < @maxAttempts), 0) AS under_max,
           MIN(e.path) AS first_path, MAX(e.path) AS last_path
         FROM item_errors e ${inScope} GROUP BY e.stage, e.code ORDER BY count DESC, e.stage, e.code`,
      )
      .all({
        maxAttempts,
        ...(scope.folder === undefined
          ? {}
          : {
              ...this.scopeClause(scope).params,
              prefix: likePrefix(scope.folder.replace(/[\\/]+$/, '') + '/'),
            }),
      }) as {
      stage: string
      code: ItemErrorCode
      count: number
      under_max: number
      first_path: string
      last_path: string
    }[]
  }

  /** Files that never became photos (import errors without a row), in scope. */
  notImported(scope: HealthScope): number {
    const where = scope.folder === undefined ? '' : `AND e.path LIKE @prefix ESCAPE '\\'`
    return (
      this.db
        .prepare(`SELECT COUNT(*) AS n FROM item_errors e WHERE e.photo_id IS NULL ${where}`)
        .get(
          scope.folder === undefined
            ? {}
            : { prefix: likePrefix(scope.folder.replace(/[\\/]+$/, '') + '/') },
        ) as { n: number }
    ).n
  }

  /** Examples of vanished originals. */
  vanishedExamples(scope: HealthScope, limit: number): string[] {
    const { sql, params } = this.scopeClause(scope)
    const where = sql
      ? `${sql} AND p.missing_since IS NOT NULL`
      : 'WHERE p.missing_since IS NOT NULL'
    return (
      this.db
        .prepare(`SELECT p.path FROM photos p ${where} ORDER BY p.id LIMIT @limit`)
        .all({ ...params, limit }) as { path: string }[]
    ).map((r) => r.path)
  }

  /** When a job kind last completed, and whether jobs of other kinds with work done ran after. */
  lastCompleted(kind: string): { id: number; finished_at: string } | undefined {
    return this.db
      .prepare(
        `SELECT id, finished_at FROM jobs WHERE kind = ? AND state = 'completed'
         ORDER BY finished_at DESC, id DESC LIMIT 1`,
      )
      .get(kind) as { id: number; finished_at: string } | undefined
  }

  /** Whether a job of `kind` completed with work done after `since`. */
  workedSince(kind: string, since: string): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM jobs WHERE kind = ? AND state = 'completed' AND done > 0 AND finished_at > ? LIMIT 1`,
        )
        .get(kind, since) !== undefined
    )
  }
}
