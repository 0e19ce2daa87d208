import type { catalogContract } from '../../shared/contract/catalog'
import type { ServiceImpl } from '../../shared/contract/define'
import { backupCatalog } from '../catalog/backup-service'
import { BackupRepository } from '../catalog/repositories/backup.repository'
import { PhotoRepository } from '../catalog/repositories/photo.repository'
import type { Engine } from '../engine'

export function createCatalogService(engine: Engine): ServiceImpl<typeof catalogContract> {
  const { db, paths, schemaVersion } = engine.catalog
  return {
    info: () => ({
      catalogPath: paths.catalogFile,
      cacheDir: paths.cacheDir,
      schemaVersion,
      photoCount: new PhotoRepository(db).count(),
    }),
    settings: () => engine.settings.getAll(),
    updateSettings: (patch) => engine.settings.update(patch),
    backups: () => new BackupRepository(db).listNewestFirst(),
    backup: ({ reason }) => backupCatalog(db, paths, reason ?? 'manual'),
  }
}
