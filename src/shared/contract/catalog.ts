import { z } from 'zod'
import { method } from './define'
import type { Settings } from '../settings'

/** A verified copy of the catalog file. */
export interface BackupDto {
  readonly id: number
  readonly path: string
  readonly reason: string
  readonly bytes: number
  readonly createdAt: string
  readonly verified: boolean
}

/** Facts about the open catalog. */
export interface CatalogInfo {
  readonly catalogPath: string
  readonly cacheDir: string
  readonly schemaVersion: number
  readonly photoCount: number
}

export const SettingsPatchSchema = z
  .object({
    duplicateThreshold: z.number().int().min(0).max(32),
    burstGapSeconds: z.number().min(0).max(60),
    workerCount: z.number().int().min(0).max(64),
    thumbnailDir: z.string().max(4096),
    mapTileUrl: z.string().max(2048),
    clipModelDir: z.string().max(4096),
    backupRetention: z.number().int().min(1).max(100),
    recentFolders: z.array(z.string().max(4096)).max(20),
    theme: z.enum(['system', 'light', 'dark']),
  })
  .partial()

/** The catalog itself: info, settings, backups. */
export const catalogContract = {
  info: method<CatalogInfo>()(z.object({})),
  settings: method<Settings>()(z.object({})),
  updateSettings: method<Settings>()(SettingsPatchSchema),
  backups: method<readonly BackupDto[]>()(z.object({})),
  backup: method<BackupDto>()(z.object({ reason: z.string().max(200).optional() })),
}
