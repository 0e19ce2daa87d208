import type { Database } from 'better-sqlite3'
import type {
  DecisionDto,
  DecisionKind,
  GroupStatus,
  MemberRole,
} from '../../../shared/contract/review'

/** One file a resolution moves away, with what undo needs to bring it back byte for byte. */
export interface FileMove {
  readonly photoId: number
  readonly from: string
  /** Quarantine path; null for the OS trash. */
  readonly to: string | null
  readonly method: 'trash' | 'quarantine'
  readonly bytes: number
  readonly sha256: string
  readonly missingSinceBefore: string | null
  /** Set once the move happened (a crash between moves leaves a pending decision). */
  done: boolean
}

/** The state of a group or burst before the decision, restored by undo. */
export interface SubjectBefore {
  readonly id: number
  readonly status: GroupStatus
  readonly roles: readonly { readonly photoId: number; readonly role: MemberRole }[]
}

/** Everything a decision changed, as stored in `decisions.payload`. */
export interface DecisionPayload {
  readonly groups: SubjectBefore[]
  readonly bursts: SubjectBefore[]
  readonly moves: FileMove[]
}

interface DecisionRow {
  id: number
  kind: DecisionKind
  group_id: number | null
  burst_id: number | null
  at: string
  state: 'pending' | 'applied' | 'undone'
  summary: string
  payload: string
  backup_id: number | null
  undone_at: string | null
}

export interface StoredDecision extends DecisionDto {
  readonly payload: DecisionPayload
  readonly backupId: number | null
}

function toStored(r: DecisionRow): StoredDecision {
  const payload = JSON.parse(r.payload) as DecisionPayload
  return {
    id: r.id,
    kind: r.kind,
    groupId: r.group_id,
    burstId: r.burst_id,
    at: r.at,
    state: r.state,
    summary: r.summary,
    files: payload.moves.filter((m) => m.done).length,
    undoneAt: r.undone_at,
    payload,
    backupId: r.backup_id,
  }
}

/** The undo log, and the removal marks it owns on photos. */
export class DecisionRepository {
  constructor(private readonly db: Database) {}

  create(fields: {
    kind: DecisionKind
    groupId?: number | null
    burstId?: number | null
    at: string
    state: 'pending' | 'applied'
    summary: string
    payload: DecisionPayload
    backupId?: number | null
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO decisions (kind, group_id, burst_id, at, state, summary, payload, backup_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          fields.kind,
          fields.groupId ?? null,
          fields.burstId ?? null,
          fields.at,
          fields.state,
          fields.summary,
          JSON.stringify(fields.payload),
          fields.backupId ?? null,
        ).lastInsertRowid,
    )
  }

  update(
    id: number,
    fields: {
      state?: 'pending' | 'applied' | 'undone'
      payload?: DecisionPayload
      summary?: string
      undoneAt?: string
    },
  ): void {
    this.db
      .prepare(
        `UPDATE decisions SET state = COALESCE(@state, state), payload = COALESCE(@payload, payload),
           summary = COALESCE(@summary, summary), undone_at = COALESCE(@undoneAt, undone_at)
         WHERE id = @id`,
      )
      .run({
        id,
        state: fields.state ?? null,
        payload: fields.payload ? JSON.stringify(fields.payload) : null,
        summary: fields.summary ?? null,
        undoneAt: fields.undoneAt ?? null,
      })
  }

  get(id: number): StoredDecision | null {
    const row = this.db.prepare('SELECT * FROM decisions WHERE id = ?').get(id) as
      DecisionRow | undefined
    return row ? toStored(row) : null
  }

  /** The most recent decision that is not undone (what a bare `vam undo` undoes). */
  latestUndoable(): StoredDecision | null {
    const row = this.db
      .prepare(`SELECT * FROM decisions WHERE state != 'undone' ORDER BY id DESC LIMIT 1`)
      .get() as DecisionRow | undefined
    return row ? toStored(row) : null
  }

  list(limit: number): DecisionDto[] {
    return (
      this.db
        .prepare('SELECT * FROM decisions ORDER BY id DESC LIMIT ?')
        .all(limit) as DecisionRow[]
    ).map((r) => {
      const { payload: _payload, backupId: _backupId, ...dto } = toStored(r)
      return dto
    })
  }

  /** Marks a photo whose file a decision moved away: the row stays (undo needs it). */
  markRemoved(move: FileMove, decisionId: number, at: string): void {
    this.db
      .prepare(
        `INSERT INTO removed_photos (photo_id, decision_id, removed_at, method, original_path, moved_to)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(photo_id) DO UPDATE SET decision_id = excluded.decision_id,
           removed_at = excluded.removed_at, method = excluded.method,
           original_path = excluded.original_path, moved_to = excluded.moved_to`,
      )
      .run(move.photoId, decisionId, at, move.method, move.from, move.to)
    this.db.prepare('UPDATE photos SET missing_since = ? WHERE id = ?').run(at, move.photoId)
  }

  /** The file is back at its path: the photo is present again. */
  unmarkRemoved(move: FileMove): void {
    this.db.prepare('DELETE FROM removed_photos WHERE photo_id = ?').run(move.photoId)
    this.db
      .prepare('UPDATE photos SET missing_since = ? WHERE id = ?')
      .run(move.missingSinceBefore, move.photoId)
  }

  isRemoved(photoId: number): boolean {
    return (
      this.db.prepare('SELECT 1 FROM removed_photos WHERE photo_id = ?').get(photoId) !== undefined
    )
  }
}
