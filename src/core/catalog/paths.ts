import path from 'node:path'

/** Where a catalog keeps its files. Everything lives beside the catalog file unless set otherwise. */
export interface CatalogPaths {
  readonly catalogFile: string
  /** Thumbnails and previews (sharded). */
  readonly cacheDir: string
  readonly backupsDir: string
  /** Where removed originals go when there is no OS trash (CLI, web host). */
  readonly quarantineDir: string
}

export function catalogPathsFor(catalogFile: string, cacheDir?: string): CatalogPaths {
  const abs = path.resolve(catalogFile)
  const base = abs.replace(/\.(sqlite3?|db|vam)$/i, '')
  return {
    catalogFile: abs,
    cacheDir: cacheDir ? path.resolve(cacheDir) : `${base}.cache`,
    backupsDir: `${base}.backups`,
    quarantineDir: `${base}.quarantine`,
  }
}
