import type { Database } from 'better-sqlite3'

/** Current thumbnail version; bump when size, format or encoding changes (all are regenerated). */
export const THUMBNAIL_VERSION = 1

/** The sizes the analyze job writes: 256 px for the grid, 1024 px for the preview. */
export const THUMBNAIL_SIZES = [256, 1024] as const
export type ThumbnailSize = (typeof THUMBNAIL_SIZES)[number]

export interface ThumbnailRow {
  photo_id: number
  size: number
  /** Relative to the cache dir. */
  path: string
  bytes: number
  width: number
  height: number
  format: string
  version: number
  source_mtime_ms: number | null
  created_at: string
}

export interface NewThumbnail {
  readonly photoId: number
  readonly size: number
  readonly path: string
  readonly bytes: number
  readonly width: number
  readonly height: number
  readonly format: string
  readonly sourceMtimeMs: number | null
}

/** Rows of the thumbnails table (the files live in the cache dir, see media/thumbnail-files.ts). */
export class ThumbnailRepository {
  constructor(private readonly db: Database) {}

  /** Insert or replace one size of one photo. Call inside the batch's transaction. */
  upsert(t: NewThumbnail, version = THUMBNAIL_VERSION, at = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO thumbnails (photo_id, size, path, bytes, width, height, format, version, source_mtime_ms, created_at)
         VALUES (@photoId, @size, @path, @bytes, @width, @height, @format, @version, @sourceMtimeMs, @at)
         ON CONFLICT(photo_id, size) DO UPDATE SET path = excluded.path, bytes = excluded.bytes,
           width = excluded.width, height = excluded.height, format = excluded.format,
           version = excluded.version, source_mtime_ms = excluded.source_mtime_ms,
           created_at = excluded.created_at`,
      )
      .run({ ...t, version, at })
  }

  forPhoto(photoId: number): ThumbnailRow[] {
    return this.db
      .prepare('SELECT * FROM thumbnails WHERE photo_id = ? ORDER BY size')
      .all(photoId) as ThumbnailRow[]
  }

  /** The row of one size if it is of the current version and matches the photo's file. */
  currentFor(photoId: number, size: number, version = THUMBNAIL_VERSION): ThumbnailRow | undefined {
    return this.db
      .prepare(
        `SELECT t.* FROM thumbnails t JOIN photos p ON p.id = t.photo_id
         WHERE t.photo_id = ? AND t.size = ? AND t.version = ?
           AND (t.source_mtime_ms IS NULL OR t.source_mtime_ms = p.mtime_ms)`,
      )
      .get(photoId, size, version) as ThumbnailRow | undefined
  }
}
