/**
 * User settings with their defaults. Stored in the catalog's `settings` table as JSON per key;
 * a key that is absent takes its default, so adding a setting needs no migration.
 */
export interface Settings {
  /** aHash AND dHash Hamming distance accepted as a near duplicate. */
  readonly duplicateThreshold: number
  /** Maximum seconds between consecutive frames of a burst. */
  readonly burstGapSeconds: number
  /** Worker processes for CPU work; 0 means cores − 1 (at least 1). */
  readonly workerCount: number
  /** Thumbnail cache folder; empty means `<catalog>.cache/` beside the catalog file. */
  readonly thumbnailDir: string
  /** Online map tiles URL template; empty means the bundled offline world outline only. */
  readonly mapTileUrl: string
  /** Folder of the active CLIP model; empty when none is configured. */
  readonly clipModelDir: string
  /** Verified catalog backups to keep. */
  readonly backupRetention: number
  /** Recently imported folders, newest first. */
  readonly recentFolders: readonly string[]
  readonly theme: 'system' | 'light' | 'dark'
}

export const DEFAULT_SETTINGS: Settings = {
  duplicateThreshold: 5,
  burstGapSeconds: 2,
  workerCount: 0,
  thumbnailDir: '',
  mapTileUrl: '',
  clipModelDir: '',
  backupRetention: 5,
  recentFolders: [],
  theme: 'system',
}

export type SettingKey = keyof Settings
