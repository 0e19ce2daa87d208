import type { Database } from 'better-sqlite3'
import { rmSync } from 'node:fs'
import type { BackupDto } from '../../shared/contract/catalog'
import { writeVerifiedBackup } from './backup'
import type { CatalogPaths } from './paths'
import { BackupRepository } from './repositories/backup.repository'
import { SettingsRepository } from './repositories/settings.repository'

/**
 * Takes a verified backup, records it and applies retention (oldest beyond the setting are
 * deleted). Call before anything destructive: resolution of duplicates, restores, repairs.
 */
export async function backupCatalog(
  db: Database,
  paths: CatalogPaths,
  reason: string,
): Promise<BackupDto> {
  const file = await writeVerifiedBackup(db, paths.backupsDir, reason)
  const repo = new BackupRepository(db)
  const dto = repo.record(file, reason)
  const keep = new SettingsRepository(db).getAll().backupRetention
  for (const old of repo.listNewestFirst().slice(keep)) {
    rmSync(old.path, { force: true })
    repo.remove(old.id)
  }
  return dto
}
