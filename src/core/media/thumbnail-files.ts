import { existsSync, promises as fsp } from 'node:fs'
import path from 'node:path'
import type { Database } from 'better-sqlite3'
import type { CatalogPaths } from '../catalog/paths'
import { ThumbnailRepository } from '../catalog/repositories/thumbnail.repository'

/**
 * Where a photo's thumbnail lives, relative to the cache dir: `<shard>/<id>-<size>.<ext>` with
 * the shard = id mod 256 as two hex digits, so 100k photos make ~800 files per folder (folders of
 * 100k entries are slow to list and to back up on every desktop file system).
 */
export function thumbnailRelativePath(photoId: number, size: number, ext: string): string {
  const shard = (photoId % 256).toString(16).padStart(2, '0')
  return `${shard}/${photoId}-${size}.${ext}`
}

/**
 * Writes a file atomically: a temporary name in the same folder, then rename (atomic on one file
 * system), so a reader (the grid, a crash) never sees half a thumbnail.
 */
export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`
  try {
    await fsp.writeFile(tmp, data)
    await fsp.rename(tmp, file)
  } catch (error) {
    await fsp.rm(tmp, { force: true })
    throw error
  }
}

/**
 * The absolute path of a photo's current thumbnail of `size` (256 grid, 1024 preview), or null
 * when there is none: no row, an old version, the photo's file changed since, or the file is gone.
 * This is what the vam-media:// protocol and the web host serve by id (never arbitrary paths).
 */
export function thumbnailFileFor(
  db: Database,
  paths: CatalogPaths,
  photoId: number,
  size: number,
): string | null {
  const row = new ThumbnailRepository(db).currentFor(photoId, size)
  if (!row) return null
  const file = path.resolve(paths.cacheDir, row.path)
  // Never serve outside the cache dir, whatever the row says.
  if (!file.startsWith(path.resolve(paths.cacheDir) + path.sep)) return null
  return existsSync(file) ? file : null
}
