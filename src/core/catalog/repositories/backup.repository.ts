import type { Database } from 'better-sqlite3'
import type { BackupDto } from '../../../shared/contract/catalog'
import type { BackupFile } from '../backup'

interface BackupRow {
  id: number
  path: string
  reason: string
  bytes: number
  created_at: string
  verified: number
}

const toDto = (r: BackupRow): BackupDto => ({
  id: r.id,
  path: r.path,
  reason: r.reason,
  bytes: r.bytes,
  createdAt: r.created_at,
  verified: r.verified === 1,
})

/** The list of verified catalog backups. */
export class BackupRepository {
  constructor(private readonly db: Database) {}

  record(file: BackupFile, reason: string): BackupDto {
    const info = this.db
      .prepare(
        'INSERT INTO backups (path, reason, bytes, created_at, verified) VALUES (?, ?, ?, ?, 1)',
      )
      .run(file.path, reason, file.bytes, file.createdAt)
    return this.get(Number(info.lastInsertRowid)) as BackupDto
  }

  get(id: number): BackupDto | null {
    const row = this.db.prepare('SELECT * FROM backups WHERE id = ?').get(id) as BackupRow | undefined
    return row ? toDto(row) : null
  }

  listNewestFirst(): BackupDto[] {
    return (this.db.prepare('SELECT * FROM backups ORDER BY id DESC').all() as BackupRow[]).map(toDto)
  }

  remove(id: number): void {
    this.db.prepare('DELETE FROM backups WHERE id = ?').run(id)
  }
}
