import type { Database } from 'better-sqlite3'
import type { GroupStatsDto, HealthDatum } from '../../../shared/contract/health'
import type { ItemErrorCode, JobKind } from '../../../shared/jobs'
import { HASH_ALGO_VERSION } from '../../analysis/hashes'
import { QUALITY_VERSION } from '../../analysis/quality'
import { likePrefix } from './photo.repository'
import { THUMBNAIL_SIZES, THUMBNAIL_VERSION } from './thumbnail.repository'

/**
 * Health's reads: every count the report shows, derived from the rows themselves (never from
 * flags, which drift), within ~200 ms at 100k photos. The heart is ONE pass over `photos`
 * (photoKeys): each row is reduced in SQL to one small integer key — its derived data's states,
 * date band, GPS/geohash state, vanished, imported since the last verify — packed with its id into
 * one number, so 100k rows reach JS as 100k numbers. health-model.ts counts them in a Map:
 * cheaper than GROUP BY, whose sort of 100k rows cost more than computing the keys. The rare
 * extras (error codes, date/GPS flags, missing thumbnail files, wrong geohashes) come from small
 * reads and are applied per id. Tables of features not in this catalog yet are detected in
 * sqlite_master, never assumed.
 */

/** The scope of a report: the whole catalog, or one folder and its sub-folders. */
export interface HealthScope {
  readonly folder?: string
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

/**
 * A derived datum as SQL over the photo row `p`: the joins it needs and an integer state —
 * 2 current, 1 rows exist but none current (older version, or made from an older file), 0 none.
 */
export interface DerivedDatum {
  readonly datum: Extract<HealthDatum, 'thumbnails' | 'hashes' | 'quality' | 'embeddings'>
  readonly job: JobKind
  /** LEFT JOINs (unique aliases) the state needs. */
  readonly joins: readonly string[]
  /** Integer SQL: 2, 1 or 0 as above. */
  readonly state: string
  /** Which error column explains a missing value: the analyze or the clip stage's code. */
  readonly errorColumn: 'analyze_code' | 'clip_code'
}

/** Date-confidence band of a row (DATE_BAND in the key). */
export const DATE_BAND_CODES = ['exif', 'derived', 'folder', 'file-time', 'none'] as const

/**
 * GPS/geohash state of a row: no position and no geohash; a valid position whose geohash matches;
 * a valid position without one; one that does not match (or is truncated/malformed); a geohash
 * without a valid position; a position kept without geohash on purpose (0,0 or out of range).
 */
export const GPS_STATE_CODES = ['none', 'ok', 'missing', 'mismatch', 'orphan', 'unplaced'] as const

/** How the integer key of photoStates packs its fields (radix per field, lowest first). */
export const STATE_KEY_FIELDS = [
  ['thumbnails', 3],
  ['hashes', 3],
  ['quality', 3],
  ['embeddings', 3],
  ['thumbFileMissing', 2],
  ['vanished', 2],
  ['video', 2],
  ['dateBand', DATE_BAND_CODES.length],
  ['gpsState', GPS_STATE_CODES.length],
  ['importedAfterVerify', 2],
  // Import flagged its date or position; which flags is read for those photos only.
  ['flagged', 2],
] as const

export type StateKeyField = (typeof STATE_KEY_FIELDS)[number][0]

/** Splits a photoStates key into its fields. */
export function decodeStateKey(key: number): Record<StateKeyField, number> {
  const out = {} as Record<StateKeyField, number>
  let rest = key
  for (const [field, radix] of STATE_KEY_FIELDS) {
    out[field] = rest % radix
    rest = Math.floor(rest / radix)
  }
  return out
}

/** Ids are packed below the key: key × 2^26 + id stays an exact double (key < 2^16). */
export const ID_BITS = 26
export const ID_RADIX = 2 ** ID_BITS

/**
 * "Current" as the analyze job defines it: the code's version, made from the file as it is now
 * (source_mtime_ms equals the photo's mtime_ms; null in rows from before that column existed).
 */
const fresh = (alias: string) => `IFNULL(${alias}.source_mtime_ms, p.mtime_ms) = p.mtime_ms`

/**
 * A position the import would give a geohash: in range and not 0,0 (import keeps 0,0, flagged
 * `null-island`, without one).
 */
const VALID_GPS = `(p.gps_lat BETWEEN -90 AND 90 AND p.gps_lon BETWEEN -180 AND 180
  AND NOT (p.gps_lat = 0 AND p.gps_lon = 0))`

const DERIVED_PARAMS = {
  thumbVersion: THUMBNAIL_VERSION,
  hashVersion: HASH_ALGO_VERSION,
  qualityVersion: QUALITY_VERSION,
}

/**
 * A folder and everything below it, as two ranges of the folder index (the grid's LIKE filter
 * makes SQLite read every row; health runs a dozen queries per report). Sub-folders are the
 * names between `F/` and `F0` — '0' is the character after '/' (after '\\' is ']' on Windows).
 */
export function folderClause(scope: HealthScope): { sql: string; params: Record<string, unknown> } {
  if (scope.folder === undefined) return { sql: '', params: {} }
  const folder = scope.folder.length > 1 ? scope.folder.replace(/[\\/]+$/, '') : scope.folder
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/'
  const sub = folder.endsWith(sep) ? folder : folder + sep
  return {
    sql: 'WHERE (p.folder = @scopeFolder OR (p.folder >= @scopeSub AND p.folder < @scopeSubEnd))',
    params: {
      scopeFolder: folder,
      scopeSub: sub,
      scopeSubEnd: sub.slice(0, -1) + String.fromCharCode(sep.charCodeAt(0) + 1),
    },
  }
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
    // Only when some exist: an empty NOT IN still costs a probe per row of the pass.
    this.removedTable ??=
      this.tables().has('removed_photos') &&
      this.db.prepare('SELECT 1 FROM removed_photos LIMIT 1').get() !== undefined
    return this.removedTable
  }

  /** WHERE clause over photos `p` for a scope (removed photos excluded). */
  scopeClause(scope: HealthScope): { sql: string; params: Record<string, unknown> } {
    const { sql, params } = folderClause(scope)
    if (!this.hasRemoved()) return { sql, params }
    const notRemoved = 'p.id NOT IN (SELECT photo_id FROM removed_photos)'
    return { sql: sql ? `${sql} AND ${notRemoved}` : `WHERE ${notRemoved}`, params }
  }

  /** Photos in scope that review removed (see hasRemoved). */
  removedCount(scope: HealthScope): number {
    if (!this.hasRemoved()) return 0
    const { sql, params } = folderClause(scope)
    const where = sql ? `${sql} AND` : 'WHERE'
    return (
      this.db
        .prepare(
          `SELECT COUNT(*) AS n FROM photos p ${where} p.id IN (SELECT photo_id FROM removed_photos)`,
        )
        .get(params) as { n: number }
    ).n
  }

  /**
   * THE pass (see the module comment): per photo in scope, `key × ID_RADIX + id`. The key's
   * thumbFileMissing field is 0 and a geohash'd valid position counts as `ok` here: files and
   * geohash decoding are checked outside SQL and applied per id by the caller. At 100k photos:
   * one scan of photos and one key lookup per derived table and photo, no sort.
   */
  photoKeys(
    scope: HealthScope,
    datums: readonly DerivedDatum[],
    lastVerifyAt: string | null,
  ): number[] {
    const { sql, params: scopeParams } = this.scopeClause(scope)
    const maxId =
      (this.db.prepare('SELECT MAX(id) AS n FROM photos').get() as { n: number | null }).n ?? 0
    if (maxId >= ID_RADIX)
      throw new Error(`photo ids beyond ${ID_RADIX} are not supported by health`)
    const stateOf = (name: DerivedDatum['datum']) =>
      datums.find((d) => d.datum === name)?.state ?? '0'
    const fields: Record<StateKeyField, string> = {
      thumbnails: stateOf('thumbnails'),
      hashes: stateOf('hashes'),
      quality: stateOf('quality'),
      embeddings: stateOf('embeddings'),
      thumbFileMissing: '0',
      vanished: '(p.missing_since IS NOT NULL)',
      video: `(p.media_kind IS 'video')`,
      // The common cases first: most dates come from EXIF, most photos have no position.
      dateBand: `CASE WHEN p.date_confidence >= 95 AND p.taken_at IS NOT NULL THEN 0
        WHEN p.taken_at IS NULL THEN 4 WHEN p.date_confidence >= 70 THEN 1
        WHEN p.date_confidence >= 50 THEN 2 ELSE 3 END`,
      gpsState: `CASE
        WHEN p.gps_lat IS NULL AND p.geohash IS NULL THEN 0
        WHEN p.gps_lat IS NULL OR p.gps_lon IS NULL OR NOT ${VALID_GPS}
          THEN CASE WHEN p.geohash IS NOT NULL THEN 4 ELSE 5 END
        WHEN p.geohash IS NULL THEN 2 ELSE 1 END`,
      flagged: '(p.date_suspicious IS NOT NULL OR p.gps_suspicious IS NOT NULL)',
      // Never verified: every photo is "imported since", and the pass need not compare dates.
      importedAfterVerify: lastVerifyAt === null ? '1' : '(p.imported_at > @lastVerify)',
    }
    let radix = ID_RADIX
    const terms = ['p.id']
    for (const [field, size] of STATE_KEY_FIELDS) {
      if (fields[field] !== '0') terms.push(`${radix} * (${fields[field]})`)
      radix *= size
    }
    const clipModel = datums.some((d) => d.datum === 'embeddings')
      ? { clipModel: this.activeClipModel(this.schema()) }
      : {}
    return this.db
      .prepare(
        `SELECT ${terms.join(' + ')} FROM photos p
         ${datums.flatMap((d) => d.joins).join('\n')}
         ${sql}`,
      )
      .pluck()
      .all({
        ...scopeParams,
        ...DERIVED_PARAMS,
        ...clipModel,
        lastVerify: lastVerifyAt,
      }) as number[]
  }

  /**
   * Open analyze/clip error codes by photo (a small table: only failed items have rows). The
   * pass looks them up per id instead of joining them row by row.
   */
  errorCodesByPhoto(): Map<number, { analyze: string | null; clip: string | null }> {
    const stages = (list: readonly string[]) =>
      list.map((stage) => `'${stage.replace(/'/g, "''")}'`).join(', ')
    const rows = this.db
      .prepare(
        `SELECT photo_id,
           MAX(CASE WHEN stage IN (${stages(ANALYZE_STAGES)}) THEN code END) AS analyze,
           MAX(CASE WHEN stage IN (${stages(CLIP_STAGES)}) THEN code END) AS clip
         FROM item_errors WHERE photo_id IS NOT NULL GROUP BY photo_id
         HAVING analyze IS NOT NULL OR clip IS NOT NULL`,
      )
      .all() as { photo_id: number; analyze: string | null; clip: string | null }[]
    return new Map(rows.map((r) => [r.photo_id, { analyze: r.analyze, clip: r.clip }]))
  }

  /** The date and GPS flags of these photos (the pass marks which have any: few). */
  flagsOf(ids: readonly number[]): { id: number; date: string | null; gps: string | null }[] {
    if (ids.length === 0) return []
    return this.db
      .prepare(
        `SELECT id, date_suspicious AS date, gps_suspicious AS gps FROM photos
         WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as { id: number; date: string | null; gps: string | null }[]
  }

  /**
   * Rows with a valid position and a geohash, as [id, geohash, lat, lon] arrays (raw rows: a
   * third of the catalog, so no per-row objects), for the decode-and-compare check in JS.
   */
  geotagged(scope: HealthScope): [number, string, number, number][] {
    const { sql, params } = this.scopeClause(scope)
    const cond = `p.geohash IS NOT NULL AND p.gps_lat IS NOT NULL AND p.gps_lon IS NOT NULL AND ${VALID_GPS}`
    return this.db
      .prepare(
        `SELECT p.id, p.geohash, p.gps_lat, p.gps_lon FROM photos p
         ${sql ? `${sql} AND ${cond}` : `WHERE ${cond}`}`,
      )
      .raw()
      .all(params) as [number, string, number, number][]
  }

  /** Total bytes of the originals in scope (the size index answers it for the whole catalog). */
  bytes(scope: HealthScope): number {
    const { sql, params } = this.scopeClause(scope)
    return (
      this.db.prepare(`SELECT COALESCE(SUM(p.size), 0) AS n FROM photos p ${sql}`).get(params) as {
        n: number
      }
    ).n
  }

  /** Distinct folders in scope (the folder index answers this without reading rows). */
  folderCount(scope: HealthScope): number {
    const { sql, params } = this.scopeClause(scope)
    return (
      this.db.prepare(`SELECT COUNT(DISTINCT p.folder) AS n FROM photos p ${sql}`).get(params) as {
        n: number
      }
    ).n
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
      // One join per size on the (photo_id, size) key: a lookup each, no correlated sub-query.
      const alias = (size: number) => `t${size}`
      out.push({
        datum: 'thumbnails',
        job: 'analyze',
        joins: THUMBNAIL_SIZES.map(
          (size) =>
            `LEFT JOIN thumbnails ${alias(size)} ON ${alias(size)}.photo_id = p.id AND ${alias(size)}.size = ${size}`,
        ),
        state: `CASE
          WHEN ${THUMBNAIL_SIZES.map((size) => `${alias(size)}.version = @thumbVersion AND ${fresh(alias(size))}`).join(' AND ')} THEN 2
          WHEN ${THUMBNAIL_SIZES.map((size) => `${alias(size)}.photo_id IS NOT NULL`).join(' OR ')} THEN 1
          ELSE 0 END`,
        errorColumn: 'analyze_code',
      })
    }
    if (schema.hashes) {
      out.push({
        datum: 'hashes',
        job: 'analyze',
        joins: ['LEFT JOIN hashes h ON h.photo_id = p.id'],
        state: `CASE WHEN h.photo_id IS NULL THEN 0
          WHEN h.algo_version = @hashVersion AND ${fresh('h')} THEN 2 ELSE 1 END`,
        errorColumn: 'analyze_code',
      })
    }
    if (schema.quality) {
      out.push({
        datum: 'quality',
        job: 'analyze',
        joins: ['LEFT JOIN quality q ON q.photo_id = p.id'],
        state: `CASE WHEN q.photo_id IS NULL THEN 0
          WHEN q.version = @qualityVersion AND ${fresh('q')} THEN 2 ELSE 1 END`,
        errorColumn: 'analyze_code',
      })
    }
    if (schema.embeddings && this.activeClipModel(schema) !== null) {
      out.push({
        datum: 'embeddings',
        job: 'clip',
        joins: ['LEFT JOIN embeddings m ON m.photo_id = p.id AND m.model_id = @clipModel'],
        state: `CASE WHEN m.photo_id IS NOT NULL THEN 2
          WHEN EXISTS (SELECT 1 FROM embeddings m2 WHERE m2.photo_id = p.id) THEN 1 ELSE 0 END`,
        errorColumn: 'clip_code',
      })
    }
    return out
  }

  /**
   * Thumbnail rows of the current version in scope, each as one string `photoId<TAB>path` (path
   * relative to the cache dir): 200k strings reach JS ~3× faster than 200k [id, path] arrays. The
   * whole-catalog form scans the table itself (`+version` keeps SQLite off the version index,
   * which would cost one key lookup per row to reach the path).
   */
  currentThumbnails(scope: HealthScope): string[] {
    const { sql, params } = this.scopeClause(scope)
    if (sql === '') {
      return this.db
        .prepare(`SELECT photo_id || char(9) || path FROM thumbnails WHERE +version = ?`)
        .pluck()
        .all(THUMBNAIL_VERSION) as string[]
    }
    return this.db
      .prepare(
        `SELECT t.photo_id || char(9) || t.path FROM photos p JOIN thumbnails t ON t.photo_id = p.id
         ${sql} AND t.version = @thumbVersion`,
      )
      .pluck()
      .all({ ...params, thumbVersion: THUMBNAIL_VERSION }) as string[]
  }

  /** Paths of photos by id (examples for the report). */
  pathsOf(ids: readonly number[]): Map<number, string> {
    if (ids.length === 0) return new Map()
    const rows = this.db
      .prepare('SELECT id, path FROM photos WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids)) as { id: number; path: string }[]
    return new Map(rows.map((r) => [r.id, r.path]))
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
