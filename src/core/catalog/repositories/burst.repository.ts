import type { Database } from 'better-sqlite3'
import type {
  BurstDto,
  BurstMemberDto,
  BurstSummaryDto,
  GroupStatus,
  MemberRole,
} from '../../../shared/contract/review'
import { TRUSTED_DATE_SOURCES } from './duplicate.repository'
import { ReviewSetRepository } from './review-set.repository'

/**
 * One photo as burst detection reads it (only photos with a trustworthy capture time), as a
 * positional tuple: raw rows are 2–3× faster than objects at a million rows.
 */
export type FrameRow = [
  id: number,
  checksum: string | null,
  make: string | null,
  model: string | null,
  folder: string,
  width: number | null,
  height: number | null,
  takenAt: string,
  gpsLat: number | null,
  gpsLon: number | null,
  sharpness: number | null,
  exposure: number | null,
  score: number | null,
]

/** A burst to store. */
export interface NewBurst {
  readonly camera: string
  readonly startMs: number
  readonly endMs: number
  readonly startAt: string
  readonly endAt: string
  readonly bestPhotoId: number
  readonly bestScore: number | null
  readonly bestReason: string
  readonly signature: string
  readonly members: readonly {
    readonly photoId: number
    readonly takenAt: string
    readonly score: number | null
    readonly sharpness: number | null
  }[]
}

const TRUSTED_SQL = TRUSTED_DATE_SOURCES.map((s) => `'${s}'`).join(', ')

const FRAME_SQL = `SELECT p.id, p.checksum, p.make, p.model, p.folder, p.width, p.height, p.taken_at,
    p.gps_lat, p.gps_lon, q.sharpness, q.exposure, q.score
  FROM photos p LEFT JOIN quality q ON q.photo_id = p.id
  WHERE p.missing_since IS NULL AND p.taken_at IS NOT NULL
    AND p.date_source IN (${TRUSTED_SQL})`

interface BurstRow {
  id: number
  camera: string
  start_at: string
  end_at: string
  status: GroupStatus
  best_photo_id: number | null
  best_score: number | null
  best_reason: string
  user_override: number
  created_at: string
  decided_at: string | null
  decision_id: number | null
  member_count: number
}

const toSummary = (r: BurstRow): BurstSummaryDto => ({
  id: r.id,
  camera: r.camera,
  startAt: r.start_at,
  endAt: r.end_at,
  status: r.status,
  memberCount: r.member_count,
  bestPhotoId: r.best_photo_id,
  bestScore: r.best_score,
  bestReason: r.best_reason,
  userOverride: r.user_override === 1,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
  decisionId: r.decision_id,
})

const BURST_COLUMNS = `b.*, (SELECT COUNT(*) FROM burst_members m WHERE m.burst_id = b.id) AS member_count`

/** Capture time text (local, no zone) → ms, treating it as UTC: only differences matter. */
export function takenAtToMs(takenAt: string): number {
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(takenAt) ? takenAt : `${takenAt}Z`)
}

/** ms → the stored `taken_at` text form (for index-backed range queries). */
export function msToTakenAt(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19)
}

export class BurstRepository extends ReviewSetRepository {
  constructor(db: Database) {
    super(db, { sets: 'bursts', members: 'burst_members', setId: 'burst_id', minMembers: 3 })
  }

  /** One keyset page of present photos with a trustworthy time (full passes yield between pages). */
  framesPage(afterId: number, limit: number): FrameRow[] {
    return this.db
      .prepare(`${FRAME_SQL} AND p.id > ? ORDER BY p.id LIMIT ?`)
      .raw(true)
      .all(afterId, limit) as FrameRow[]
  }

  /** How many photos a full pass reads. */
  countFrames(): number {
    return this.db.prepare(`SELECT COUNT(*) FROM (${FRAME_SQL})`).pluck().get() as number
  }

  /** Frames captured within [startMs, endMs] (uses the taken_at index). */
  framesBetween(startMs: number, endMs: number): FrameRow[] {
    return this.db
      .prepare(`${FRAME_SQL} AND p.taken_at >= ? AND p.taken_at <= ? ORDER BY p.id`)
      .raw(true)
      .all(msToTakenAt(startMs), msToTakenAt(endMs)) as FrameRow[]
  }

  /** Capture times of photos added, removed or re-scored since a point (incremental runs). */
  changedSince(maxPhotoId: number, sinceIso: string): string[] {
    return this.db
      .prepare(
        `SELECT p.taken_at FROM photos p
         WHERE p.taken_at IS NOT NULL AND p.date_source IN (${TRUSTED_SQL}) AND (
           p.id > @maxPhotoId OR p.missing_since > @since
           OR EXISTS (SELECT 1 FROM quality q WHERE q.photo_id = p.id AND q.computed_at > @since))`,
      )
      .pluck()
      .all({ maxPhotoId, since: sinceIso }) as string[]
  }

  /** Photos the user declared "not a burst". */
  exclusions(): Set<number> {
    return new Set(
      this.db.prepare('SELECT DISTINCT photo_id FROM burst_exclusions').pluck().all() as number[],
    )
  }

  /** For each photo in a resolved burst, the ids of those bursts' member sets. */
  resolvedMemberSets(): Map<number, Set<number>[]> {
    const rows = this.db
      .prepare(
        `SELECT m.burst_id, m.photo_id FROM burst_members m JOIN bursts b ON b.id = m.burst_id
         WHERE b.status = 'resolved'`,
      )
      .all() as { burst_id: number; photo_id: number }[]
    const sets = new Map<number, Set<number>>()
    for (const r of rows) {
      const set = sets.get(r.burst_id) ?? new Set<number>()
      set.add(r.photo_id)
      sets.set(r.burst_id, set)
    }
    const byPhoto = new Map<number, Set<number>[]>()
    for (const set of sets.values()) {
      for (const id of set) byPhoto.set(id, [...(byPhoto.get(id) ?? []), set])
    }
    return byPhoto
  }

  /** The user's choices in open bursts (best frame, roles), by signature, to carry over. */
  private openChoices(): Map<string, { best: number | null; roles: Map<number, MemberRole> }> {
    const rows = this.db
      .prepare(
        `SELECT b.signature, b.best_photo_id, b.user_override, m.photo_id, m.role
         FROM bursts b JOIN burst_members m ON m.burst_id = b.id WHERE b.status = 'open'
           AND (b.user_override = 1 OR m.role != 'undecided')`,
      )
      .all() as {
      signature: string
      best_photo_id: number | null
      user_override: number
      photo_id: number
      role: MemberRole
    }[]
    const map = new Map<string, { best: number | null; roles: Map<number, MemberRole> }>()
    for (const r of rows) {
      const entry = map.get(r.signature) ?? { best: null, roles: new Map<number, MemberRole>() }
      if (r.user_override === 1) entry.best = r.best_photo_id
      if (r.role !== 'undecided') entry.roles.set(r.photo_id, r.role)
      map.set(r.signature, entry)
    }
    return map
  }

  /**
   * Replaces open bursts — all of them, or those overlapping `window` — with `bursts`, in one
   * transaction. The user's best-frame choice and roles carry over to a burst with the same
   * frames. Resolved and dismissed bursts are kept.
   */
  replaceOpen(
    bursts: readonly NewBurst[],
    now: string,
    window?: { readonly startMs: number; readonly endMs: number },
  ): number {
    const choices = this.openChoices()
    const insertBurst = this.db.prepare(
      `INSERT INTO bursts (camera, start_at, end_at, start_ms, end_ms, best_photo_id, best_score,
         best_reason, status, user_override, signature, created_at)
       VALUES (@camera, @startAt, @endAt, @startMs, @endMs, @best, @bestScore, @bestReason, 'open',
         @override, @signature, @now)`,
    )
    const insertMember = this.db.prepare(
      `INSERT INTO burst_members (burst_id, photo_id, position, taken_at, score, sharpness, role)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    this.db.transaction(() => {
      if (window) {
        this.db
          .prepare(`DELETE FROM bursts WHERE status = 'open' AND start_ms <= ? AND end_ms >= ?`)
          .run(window.endMs, window.startMs)
      } else {
        this.db.prepare(`DELETE FROM bursts WHERE status = 'open'`).run()
      }
      for (const b of bursts) {
        const choice = choices.get(b.signature)
        const best =
          choice?.best && b.members.some((m) => m.photoId === choice.best) ? choice.best : null
        const score = best
          ? (b.members.find((m) => m.photoId === best)?.score ?? null)
          : b.bestScore
        const burstId = Number(
          insertBurst.run({
            ...b,
            best: best ?? b.bestPhotoId,
            bestScore: score,
            bestReason: best ? 'chosen by you' : b.bestReason,
            override: best ? 1 : 0,
            now,
          }).lastInsertRowid,
        )
        b.members.forEach((m, position) =>
          insertMember.run(
            burstId,
            m.photoId,
            position,
            m.takenAt,
            m.score,
            m.sharpness,
            choice?.roles.get(m.photoId) ?? 'undecided',
          ),
        )
      }
    })()
    return bursts.length
  }

  /** Extents of open bursts overlapping a window (incremental runs widen to them). */
  openExtentsOverlapping(startMs: number, endMs: number): { startMs: number; endMs: number }[] {
    return this.db
      .prepare(
        `SELECT start_ms AS startMs, end_ms AS endMs FROM bursts
         WHERE status = 'open' AND start_ms <= ? AND end_ms >= ?`,
      )
      .all(endMs, startMs) as { startMs: number; endMs: number }[]
  }

  list(options: { status?: GroupStatus; offset: number; limit: number }): BurstSummaryDto[] {
    const where = options.status ? 'WHERE b.status = @status' : ''
    return (
      this.db
        .prepare(
          `SELECT ${BURST_COLUMNS} FROM bursts b ${where}
           ORDER BY b.start_ms, b.id LIMIT @limit OFFSET @offset`,
        )
        .all({ ...options, status: options.status ?? null }) as BurstRow[]
    ).map(toSummary)
  }

  openBurstIds(): number[] {
    return this.db
      .prepare(`SELECT id FROM bursts WHERE status = 'open' ORDER BY start_ms, id`)
      .pluck()
      .all() as number[]
  }

  getBurst(id: number): BurstDto | null {
    const row = this.db.prepare(`SELECT ${BURST_COLUMNS} FROM bursts b WHERE b.id = ?`).get(id) as
      BurstRow | undefined
    if (!row) return null
    const members = (
      this.db
        .prepare(
          `SELECT m.photo_id, m.taken_at, m.score, m.sharpness, m.role, p.path, p.name, p.size,
             p.missing_since
           FROM burst_members m JOIN photos p ON p.id = m.photo_id
           WHERE m.burst_id = ? ORDER BY m.position`,
        )
        .all(id) as {
        photo_id: number
        taken_at: string | null
        score: number | null
        sharpness: number | null
        role: MemberRole
        path: string
        name: string
        size: number
        missing_since: string | null
      }[]
    ).map((m): BurstMemberDto => ({
      photoId: m.photo_id,
      path: m.path,
      name: m.name,
      size: m.size,
      takenAt: m.taken_at,
      score: m.score,
      sharpness: m.sharpness,
      missing: m.missing_since !== null,
      role: m.role,
      best: m.photo_id === row.best_photo_id,
      keep: m.photo_id === row.best_photo_id || m.role === 'keep',
    }))
    return { ...toSummary(row), members }
  }

  setBest(burstId: number, photoId: number): void {
    this.db
      .prepare(
        `UPDATE bursts SET best_photo_id = @photoId, user_override = 1, best_reason = 'chosen by you',
           best_score = (SELECT score FROM burst_members WHERE burst_id = @burstId AND photo_id = @photoId)
         WHERE id = @burstId`,
      )
      .run({ burstId, photoId })
  }

  addExclusions(photoIds: readonly number[], decisionId: number): void {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO burst_exclusions (photo_id, decision_id) VALUES (?, ?)',
    )
    for (const id of photoIds) insert.run(id, decisionId)
  }

  removeExclusions(decisionId: number): void {
    this.db.prepare('DELETE FROM burst_exclusions WHERE decision_id = ?').run(decisionId)
  }

  burstsOfPhoto(
    photoId: number,
  ): { burstId: number; status: GroupStatus; best: boolean; role: MemberRole }[] {
    return (
      this.db
        .prepare(
          `SELECT b.id AS burstId, b.status, b.best_photo_id, m.role FROM burst_members m
           JOIN bursts b ON b.id = m.burst_id WHERE m.photo_id = ? ORDER BY b.id DESC`,
        )
        .all(photoId) as {
        burstId: number
        status: GroupStatus
        best_photo_id: number | null
        role: MemberRole
      }[]
    ).map(({ best_photo_id, ...r }) => ({ ...r, best: best_photo_id === photoId }))
  }

  counts(): { groups: number; photos: number; unresolved: number } {
    return this.db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM bursts) AS groups,
           (SELECT COUNT(DISTINCT m.photo_id) FROM burst_members m JOIN bursts b
              ON b.id = m.burst_id WHERE b.status = 'open') AS photos,
           (SELECT COUNT(*) FROM bursts WHERE status = 'open') AS unresolved`,
      )
      .get() as { groups: number; photos: number; unresolved: number }
  }
}
