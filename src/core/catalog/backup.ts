import type { Database as Db } from 'better-sqlite3'
import { copyFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { ItemError } from '../tasks/task-error'
import { openDatabase } from './sqlite'

/** Checks a catalog file with SQLite's own `integrity_check`; returns the problems (empty = ok). */
export function checkIntegrity(file: string): string[] {
  const db = openDatabase(file, { readonly: true, fileMustExist: true })
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[]
    return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok')
  } finally {
    db.close()
  }
}

export interface BackupFile {
  readonly path: string
  readonly bytes: number
  readonly createdAt: string
}

/**
 * Copies the live catalog with SQLite's online backup API (consistent even while other statements
 * run), then verifies the copy with integrity_check. A copy that fails verification is deleted and
 * the call throws: callers must not go on with a destructive step without a good backup.
 */
export async function writeVerifiedBackup(
  db: Db,
  backupsDir: string,
  reason: string,
): Promise<BackupFile> {
  mkdirSync(backupsDir, { recursive: true })
  const createdAt = new Date().toISOString()
  const slug = reason.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)
  const file = path.join(backupsDir, `catalog-${createdAt.replace(/[:.]/g, '-')}-${slug}.sqlite`)
  const partial = `${file}.partial`
  await db.backup(partial)
  // The copy inherits WAL mode; a backup should be one self-contained file.
  const copy = openDatabase(partial)
  copy.pragma('journal_mode = DELETE')
  copy.close()
  const problems = checkIntegrity(partial)
  if (problems.length > 0) {
    rmSync(partial, { force: true })
    throw new Error(`backup failed verification: ${problems.slice(0, 3).join('; ')}`)
  }
  renameSync(partial, file)
  return { path: file, bytes: statSync(file).size, createdAt }
}

/**
 * Replaces a (closed) catalog file with a backup after verifying the backup. The current file is
 * kept beside it as `<catalog>.before-restore` so a restore is itself undoable.
 */
export function restoreBackupFile(catalogFile: string, backupFile: string): string {
  const problems = checkIntegrity(backupFile)
  if (problems.length > 0) {
    throw new ItemError('corrupt', `backup ${backupFile} is damaged: ${problems[0]}`)
  }
  const previous = `${catalogFile}.before-restore`
  try {
    copyFileSync(catalogFile, previous)
  } catch {
    // No current catalog: nothing to keep.
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${catalogFile}${suffix}`, { force: true })
  copyFileSync(backupFile, `${catalogFile}.restoring`)
  renameSync(`${catalogFile}.restoring`, catalogFile)
  return previous
}
