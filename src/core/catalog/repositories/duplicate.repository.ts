import type { Database } from 'better-sqlite3'
import type { PlannedGroup } from '../../analysis/duplicate-plan'
import type {
  DuplicateGroupDto,
  DuplicateGroupSummaryDto,
  DuplicateMemberDto,
  GroupStatus,
  MemberRole,
} from '../../../shared/contract/review'
import type { MediaFormat } from '../../../shared/photos'
import { ReviewSetRepository } from './review-set.repository'

/**
 * Everything the duplicates job and review read and write: the scan over photos + hashes +
 * quality, the groups and their members, and the pairs the user separated.
 */

/**
 * One photo as the duplicates job reads it, as a positional tuple: better-sqlite3's raw mode is
 * 2–3× faster than row objects at 100k+ rows. Hashes arrive split into 32-bit halves by SQL.
 */
export type DuplicateScanRow = [
  id: number,
  checksum: string | null,
  hashed: number,
  aHi: number,
  aLo: number,
  dHi: number,
  dLo: number,
  pHi: number,
  pLo: number,
  wHi: number,
  wLo: number,
  lowInformation: number | null,
  greyMean: number | null,
  greyStddev: number | null,
  format: string | null,
  width: number | null,
  height: number | null,
  size: number,
  folder: string,
  make: string | null,
  model: string | null,
  /** Null unless the date source is trusted (see TRUSTED_DATE_SOURCES). */
  takenAt: string | null,
  gpsLat: number | null,
  gpsLon: number | null,
  sharpness: number | null,
  exposure: number | null,
  score: number | null,
]

/** Date sources precise enough for bursts and for "has a date" in best copy. */
export const TRUSTED_DATE_SOURCES = [
  'exif-original',
  'exif-create',
  'exif-other',
  'xmp',
  'filename',
] as const

const TRUSTED_SQL = TRUSTED_DATE_SOURCES.map((s) => `'${s}'`).join(', ')

/** Halves of a signed 64-bit INTEGER column, as two JS-safe integers (no BigInt on the hot path). */
const halves = (col: string, alias: string) =>
  `(h.${col} >> 32) & 4294967295 AS ${alias}_hi, h.${col} & 4294967295 AS ${alias}_lo`

export interface NewGroupOptions {
  readonly threshold: number
  readonly now: string
}

interface GroupRow {
  id: number
  kind: 'exact' | 'near'
  representative: number | null
  keeper_reason: string
  status: GroupStatus
  signature: string
  low_information: number
  threshold: number
  created_at: string
  decided_at: string | null
  decision_id: number | null
  member_count: number
  bytes_reclaimable: number | null
}

interface MemberRow {
  photo_id: number
  position: number
  role: MemberRole
  suggested: 'keep' | 'remove'
  match: DuplicateMemberDto['match']
  dist_ahash: number | null
  dist_dhash: number | null
  dist_phash: number | null
  dist_whash: number | null
  reason: string
  path: string
  name: string
  folder: string
  size: number
  format: string | null
  width: number | null
  height: number | null
  taken_at: string | null
  gps_lat: number | null
  gps_lon: number | null
  checksum: string | null
  missing_since: string | null
  quality: number | null
}

/** Effective decision: the user's role, else the suggestion. */
export function effectiveKeep(role: MemberRole, suggested: 'keep' | 'remove'): boolean {
  return role === 'undecided' ? suggested === 'keep' : role === 'keep'
}

const GROUP_COLUMNS = `g.*,
  (SELECT COUNT(*) FROM dup_members m WHERE m.group_id = g.id) AS member_count,
  (SELECT SUM(p.size) FROM dup_members m JOIN photos p ON p.id = m.photo_id
    WHERE m.group_id = g.id AND p.missing_since IS NULL
      AND (m.role = 'remove' OR (m.role = 'undecided' AND m.suggested = 'remove'))) AS bytes_reclaimable`

function toSummary(r: GroupRow): DuplicateGroupSummaryDto {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    memberCount: r.member_count,
    representative: r.representative,
    keeperReason: r.keeper_reason,
    lowInformation: r.low_information === 1,
    bytesReclaimable: r.bytes_reclaimable ?? 0,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    decisionId: r.decision_id,
  }
}

function toMember(r: MemberRow): DuplicateMemberDto {
  const hashed = r.dist_ahash !== null
  return {
    photoId: r.photo_id,
    path: r.path,
    name: r.name,
    folder: r.folder,
    size: r.size,
    format: r.format as MediaFormat | null,
    width: r.width,
    height: r.height,
    takenAt: r.taken_at,
    gpsLat: r.gps_lat,
    gpsLon: r.gps_lon,
    checksum: r.checksum,
    quality: r.quality,
    missing: r.missing_since !== null,
    role: r.role,
    suggested: r.suggested,
    keep: effectiveKeep(r.role, r.suggested),
    match: r.match,
    distance: hashed
      ? {
          ahash: r.dist_ahash as number,
          dhash: r.dist_dhash as number,
          phash: r.dist_phash as number,
          whash: r.dist_whash as number,
        }
      : null,
    reason: r.reason,
  }
}

export class DuplicateRepository extends ReviewSetRepository {
  constructor(db: Database) {
    super(db, { sets: 'dup_groups', members: 'dup_members', setId: 'group_id', minMembers: 2 })
  }

  /**
   * One keyset page of present photos (id > afterId, id ≤ maxId) with their current hashes (if
   * any) and quality. A hash row counts only when its algorithm version is current and the file
   * was not edited since. Pages, not one long iterator: the job yields between pages, and other
   * statements (progress, the UI) may use the connection meanwhile.
   */
  scanPage(hashVersion: number, afterId: number, maxId: number, limit: number): DuplicateScanRow[] {
    return this.db
      .prepare(
        `SELECT p.id, p.checksum, h.photo_id IS NOT NULL AS hashed,
           ${halves('ahash', 'a')}, ${halves('dhash', 'd')},
           ${halves('phash', 'p')}, ${halves('whash', 'w')},
           h.low_information, h.grey_mean, h.grey_stddev,
           p.format, p.width, p.height, p.size, p.folder, p.make, p.model,
           CASE WHEN p.date_source IN (${TRUSTED_SQL}) THEN p.taken_at END AS taken_at,
           p.gps_lat, p.gps_lon, q.sharpness, q.exposure, q.score
         FROM photos p
         LEFT JOIN hashes h ON h.photo_id = p.id AND h.algo_version = @hashVersion
           AND (h.source_mtime_ms IS NULL OR h.source_mtime_ms = p.mtime_ms)
         LEFT JOIN quality q ON q.photo_id = p.id
         WHERE p.id > @afterId AND p.id <= @maxId AND p.missing_since IS NULL
         ORDER BY p.id LIMIT @limit`,
      )
      .raw(true)
      .all({ hashVersion, afterId, maxId, limit }) as DuplicateScanRow[]
  }

  /** Checksums shared by more than one present photo (exact duplicates), via the index. */
  sharedChecksums(): Set<string> {
    return new Set(
      this.db
        .prepare(
          `SELECT checksum FROM photos WHERE checksum IS NOT NULL AND missing_since IS NULL
           GROUP BY checksum HAVING COUNT(*) > 1`,
        )
        .pluck()
        .all() as string[],
    )
  }

  /** Present photos up to `maxId` (the scan's total). */
  countPresent(maxId: number): number {
    return this.db
      .prepare('SELECT COUNT(*) FROM photos WHERE id <= ? AND missing_since IS NULL')
      .pluck()
      .get(maxId) as number
  }

  /** Every pair the user separated, as [a, b]. */
  separatedPairs(): [number, number][] {
    return (
      this.db.prepare('SELECT DISTINCT photo_a, photo_b FROM separated_pairs').raw().all() as [
        number,
        number,
      ][]
    ).map(([a, b]) => [a, b])
  }

  /** Signatures of groups the user resolved or dismissed: never recreated as they were. */
  decidedSignatures(): Set<string> {
    const rows = this.db
      .prepare(`SELECT signature FROM dup_groups WHERE status != 'open'`)
      .pluck()
      .all() as string[]
    return new Set(rows)
  }

  /** Roles the user set in open groups, by signature, so a re-run keeps them. */
  openRoles(): Map<string, Map<number, MemberRole>> {
    const rows = this.db
      .prepare(
        `SELECT g.signature, m.photo_id, m.role FROM dup_groups g
         JOIN dup_members m ON m.group_id = g.id
         WHERE g.status = 'open' AND m.role != 'undecided'`,
      )
      .all() as { signature: string; photo_id: number; role: MemberRole }[]
    const map = new Map<string, Map<number, MemberRole>>()
    for (const r of rows) {
      const roles = map.get(r.signature) ?? new Map<number, MemberRole>()
      roles.set(r.photo_id, r.role)
      map.set(r.signature, roles)
    }
    return map
  }

  /**
   * Replaces all open groups with `groups` (one transaction: readers never see a half state).
   * Resolved and dismissed groups are kept. Roles the user set in an open group carry over to
   * the new group with the same members; a user-chosen keeper stays the representative.
   */
  replaceOpenGroups(groups: readonly PlannedGroup[], options: NewGroupOptions): number {
    const carried = this.openRoles()
    const insertGroup = this.db.prepare(
      `INSERT INTO dup_groups (kind, representative, keeper_reason, status, signature,
         low_information, threshold, created_at)
       VALUES (@kind, @representative, @keeperReason, 'open', @signature, @lowInformation,
         @threshold, @now)`,
    )
    const insertMember = this.db.prepare(
      `INSERT INTO dup_members (group_id, photo_id, position, role, suggested, match,
         dist_ahash, dist_dhash, dist_phash, dist_whash, reason)
       VALUES (@groupId, @photoId, @position, @role, @suggested, @match,
         @a, @d, @p, @w, @reason)`,
    )
    let inserted = 0
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM dup_groups WHERE status = 'open'`).run()
      for (const group of groups) {
        const roles = carried.get(group.signature)
        const chosen = roles && [...roles].find(([, role]) => role === 'keep')?.[0]
        const groupId = Number(
          insertGroup.run({
            kind: group.kind,
            representative: chosen ?? group.keeperId,
            keeperReason:
              chosen && chosen !== group.keeperId ? 'chosen by you' : group.keeperReason,
            signature: group.signature,
            lowInformation: group.lowInformation ? 1 : 0,
            threshold: options.threshold,
            now: options.now,
          }).lastInsertRowid,
        )
        group.members.forEach((m, position) => {
          insertMember.run({
            groupId,
            photoId: m.photoId,
            position,
            role: roles?.get(m.photoId) ?? 'undecided',
            suggested: m.suggested,
            match: m.match,
            a: m.distance?.ahash ?? null,
            d: m.distance?.dhash ?? null,
            p: m.distance?.phash ?? null,
            w: m.distance?.whash ?? null,
            reason: m.reason,
          })
        })
        inserted++
      }
    })()
    return inserted
  }

  list(options: {
    status?: GroupStatus
    offset: number
    limit: number
  }): DuplicateGroupSummaryDto[] {
    const where = options.status ? 'WHERE g.status = @status' : ''
    return (
      this.db
        .prepare(
          `SELECT ${GROUP_COLUMNS} FROM dup_groups g ${where}
           ORDER BY g.id LIMIT @limit OFFSET @offset`,
        )
        .all({ ...options, status: options.status ?? null }) as GroupRow[]
    ).map(toSummary)
  }

  getGroup(id: number): DuplicateGroupDto | null {
    const row = this.db
      .prepare(`SELECT ${GROUP_COLUMNS} FROM dup_groups g WHERE g.id = ?`)
      .get(id) as GroupRow | undefined
    if (!row) return null
    return { ...toSummary(row), members: this.members(id) }
  }

  members(groupId: number): DuplicateMemberDto[] {
    return (
      this.db
        .prepare(
          `SELECT m.*, p.path, p.name, p.folder, p.size, p.format, p.width, p.height, p.taken_at,
             p.gps_lat, p.gps_lon, p.checksum, p.missing_since, q.score AS quality
           FROM dup_members m JOIN photos p ON p.id = m.photo_id
           LEFT JOIN quality q ON q.photo_id = m.photo_id
           WHERE m.group_id = ? ORDER BY m.position`,
        )
        .all(groupId) as MemberRow[]
    ).map(toMember)
  }

  /** Open groups by id (bulk resolve pages through them). */
  openGroupIds(): number[] {
    return this.db
      .prepare(`SELECT id FROM dup_groups WHERE status = 'open' ORDER BY id`)
      .pluck()
      .all() as number[]
  }

  /** The user picked a keeper: it becomes the representative and the only 'keep'. */
  chooseKeeper(groupId: number, photoId: number): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE dup_members SET role = CASE WHEN photo_id = @photoId THEN 'keep'
             WHEN role = 'keep' THEN 'undecided' ELSE role END
           WHERE group_id = @groupId`,
        )
        .run({ groupId, photoId })
      this.db
        .prepare(
          `UPDATE dup_groups SET representative = ?, keeper_reason = 'chosen by you' WHERE id = ?`,
        )
        .run(photoId, groupId)
    })()
  }

  addSeparatedPairs(
    photoIds: readonly number[],
    kind: 'not-duplicate' | 'kept-both',
    decisionId: number,
  ): number {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO separated_pairs (photo_a, photo_b, kind, decision_id) VALUES (?, ?, ?, ?)`,
    )
    let n = 0
    const ids = [...new Set(photoIds)].sort((a, b) => a - b)
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        n += insert.run(ids[i], ids[j], kind, decisionId).changes
      }
    }
    return n
  }

  removeSeparatedPairs(decisionId: number): number {
    return this.db.prepare('DELETE FROM separated_pairs WHERE decision_id = ?').run(decisionId)
      .changes
  }

  /** Groups the photo belongs to (info panel). */
  groupsOfPhoto(photoId: number): {
    groupId: number
    kind: string
    status: GroupStatus
    role: MemberRole
    keep: boolean
    reason: string
  }[] {
    return (
      this.db
        .prepare(
          `SELECT g.id AS groupId, g.kind, g.status, m.role, m.suggested, m.reason
           FROM dup_members m JOIN dup_groups g ON g.id = m.group_id
           WHERE m.photo_id = ? ORDER BY g.id DESC`,
        )
        .all(photoId) as {
        groupId: number
        kind: string
        status: GroupStatus
        role: MemberRole
        suggested: 'keep' | 'remove'
        reason: string
      }[]
    ).map(({ suggested, ...r }) => ({ ...r, keep: effectiveKeep(r.role, suggested) }))
  }

  /** Counts for health and the sidebar. */
  counts(): { groups: number; photos: number; unresolved: number; bytesReclaimable: number } {
    const row = this.db
      .prepare(
        `SELECT
           (SELECT COUNT(*) FROM dup_groups) AS groups,
           (SELECT COUNT(DISTINCT m.photo_id) FROM dup_members m JOIN dup_groups g
              ON g.id = m.group_id WHERE g.status = 'open') AS photos,
           (SELECT COUNT(*) FROM dup_groups WHERE status = 'open') AS unresolved,
           (SELECT COALESCE(SUM(p.size), 0) FROM dup_members m
              JOIN dup_groups g ON g.id = m.group_id JOIN photos p ON p.id = m.photo_id
              WHERE g.status = 'open' AND p.missing_since IS NULL
                AND (m.role = 'remove' OR (m.role = 'undecided' AND m.suggested = 'remove')))
             AS bytesReclaimable`,
      )
      .get() as { groups: number; photos: number; unresolved: number; bytesReclaimable: number }
    return row
  }
}
