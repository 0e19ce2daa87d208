import type { Database } from 'better-sqlite3'
import type { GroupStatus, MemberRole } from '../../../shared/contract/review'

/**
 * The tables of one kind of review set. Duplicate groups and bursts are both a set row with a
 * status plus member rows with a role per photo, so the statements below serve both; only the
 * names (and how few members a set may keep) differ.
 */
export interface ReviewSetTables {
  readonly sets: 'dup_groups' | 'bursts'
  readonly members: 'dup_members' | 'burst_members'
  /** The member column naming its set. */
  readonly setId: 'group_id' | 'burst_id'
  /** An open set left with fewer members than this after removals is deleted. */
  readonly minMembers: number
}

/** The writes and counts duplicate groups and bursts share (see DuplicateRepository, BurstRepository). */
export class ReviewSetRepository {
  constructor(
    protected readonly db: Database,
    private readonly tables: ReviewSetTables,
  ) {}

  maxPhotoId(): number {
    return this.db.prepare('SELECT COALESCE(MAX(id), 0) FROM photos').pluck().get() as number
  }

  count(status?: GroupStatus): number {
    const where = status ? 'WHERE status = ?' : ''
    return this.db
      .prepare(`SELECT COUNT(*) FROM ${this.tables.sets} ${where}`)
      .pluck()
      .get(...(status ? [status] : [])) as number
  }

  setRole(setId: number, photoId: number, role: MemberRole): boolean {
    const { members, setId: key } = this.tables
    return (
      this.db
        .prepare(`UPDATE ${members} SET role = ? WHERE ${key} = ? AND photo_id = ?`)
        .run(role, setId, photoId).changes === 1
    )
  }

  setStatus(setId: number, status: GroupStatus, decision: { id: number; at: string } | null): void {
    this.db
      .prepare(
        `UPDATE ${this.tables.sets} SET status = ?, decided_at = ?, decision_id = ? WHERE id = ?`,
      )
      .run(status, decision?.at ?? null, decision?.id ?? null, setId)
  }

  /**
   * Deletes open sets, other than `keepIds`, that share a photo with them: after an undo
   * reopens a set, a photo must still be in one open set only. The next run recomputes whatever
   * was removed.
   */
  deleteOpenOverlapping(keepIds: readonly number[]): number {
    if (keepIds.length === 0) return 0
    const { sets, members, setId: key } = this.tables
    const ids = JSON.stringify(keepIds)
    return this.db
      .prepare(
        `DELETE FROM ${sets} WHERE status = 'open'
           AND id NOT IN (SELECT value FROM json_each(@ids))
           AND id IN (SELECT m.${key} FROM ${members} m WHERE m.photo_id IN (
             SELECT photo_id FROM ${members} WHERE ${key} IN (SELECT value FROM json_each(@ids))))`,
      )
      .run({ ids }).changes
  }

  /**
   * Drops removed photos from open sets (they no longer exist there); sets left with fewer than
   * `minMembers` members are deleted. The next run recomputes them.
   */
  pruneOpen(): void {
    const { sets, members, setId: key, minMembers } = this.tables
    this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM ${members} WHERE photo_id IN (SELECT photo_id FROM removed_photos)
             AND ${key} IN (SELECT id FROM ${sets} WHERE status = 'open')`,
        )
        .run()
      this.db
        .prepare(
          `DELETE FROM ${sets} WHERE status = 'open'
             AND (SELECT COUNT(*) FROM ${members} m WHERE m.${key} = ${sets}.id) < ?`,
        )
        .run(minMembers)
    })()
  }
}
