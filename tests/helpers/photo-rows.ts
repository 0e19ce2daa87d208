import type { Database } from 'better-sqlite3'
import { statSync } from 'node:fs'
import path from 'node:path'

/**
 * Inserts a photos row for a file directly (the minimum the analysis stage reads), for files the
 * import job would refuse (corrupt, hostile) but that can reach a catalog anyway (edited after
 * import, older catalogs). Returns the photo id; an existing row for the path is kept.
 */
export function insertPhotoRow(
  db: Database,
  file: string,
  fields: { format?: string | null; width?: number | null; height?: number | null } = {},
): number {
  const existing = db.prepare('SELECT id FROM photos WHERE path = ?').get(file) as
    { id: number } | undefined
  if (existing) return existing.id
  const st = statSync(file)
  const info = db
    .prepare(
      `INSERT INTO photos (path, folder, name, size, mtime_ms, format, media_kind, width, height, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, 'image', ?, ?, ?)`,
    )
    .run(
      file,
      path.dirname(file),
      path.basename(file),
      st.size,
      Math.round(st.mtimeMs),
      fields.format ?? null,
      fields.width ?? null,
      fields.height ?? null,
      new Date().toISOString(),
    )
  return Number(info.lastInsertRowid)
}
