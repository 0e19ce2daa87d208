import type { Database } from 'better-sqlite3'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hexToHash } from '../../src/core/analysis/hashes'
import { migration0001 } from '../../src/core/catalog/migrations/0001-core'
import { migration0002 } from '../../src/core/catalog/migrations/0002-analysis'
import { openCatalog } from '../../src/core/catalog/open-catalog'
import { AnalysisRepository } from '../../src/core/catalog/repositories/analysis.repository'
import { HashRepository } from '../../src/core/catalog/repositories/hash.repository'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

const insertPhoto = (db: Database, p: string, mtime = 1) =>
  Number(
    db
      .prepare(
        `INSERT INTO photos (path, folder, name, size, mtime_ms, imported_at) VALUES (?, '/f', ?, 10, ?, 'now')`,
      )
      .run(p, path.basename(p), mtime).lastInsertRowid,
  )

describe('migration 0002 (analysis)', () => {
  it('upgrades a v1 catalog with photos, keeping them, after a verified backup', async () => {
    const file = path.join(tempDir(), 'c.sqlite')
    const v1 = await openCatalog(file, { migrations: [migration0001] })
    const id = insertPhoto(v1.db, '/f/a.jpg')
    v1.close()
    const v2 = await openCatalog(file, { migrations: [migration0001, migration0002] })
    expect(v2.schemaVersion).toBe(2)
    expect(v2.db.prepare('SELECT id FROM photos').all()).toEqual([{ id }])
    expect(v2.db.prepare('SELECT verified FROM backups').all()).toEqual([{ verified: 1 }])
    const tables = v2.db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('thumbnails', 'hashes', 'quality')`,
      )
      .all() as { name: string; sql: string }[]
    expect(tables.map((t) => t.name).sort()).toEqual(['hashes', 'quality', 'thumbnails'])
    for (const t of tables) expect(t.sql).toMatch(/STRICT/)
    v2.close()
  })

  it('stores 64-bit hashes losslessly (high bit set) and cascades with the photo', async () => {
    const catalog = await openCatalog(path.join(tempDir(), 'c.sqlite'))
    const id = insertPhoto(catalog.db, '/f/a.jpg')
    const repo = new HashRepository(catalog.db)
    const values = ['ffffffffffffffff', '8000000000000001', '0000000000000000', 'eb5669b7f6d90926']
    repo.upsert({
      photoId: id,
      ahash: hexToHash(values[0] as string),
      dhash: hexToHash(values[1] as string),
      phash: hexToHash(values[2] as string),
      whash: hexToHash(values[3] as string),
      algoVersion: 1,
      lowInformation: true,
      greyMean: 12.5,
      greyStddev: 0.5,
      sourceMtimeMs: 1,
    })
    const stored = repo.forPhoto(id)
    expect(stored?.hex).toEqual({
      ahash: values[0],
      dhash: values[1],
      phash: values[2],
      whash: values[3],
    })
    expect(stored?.lowInformation).toBe(true)
    expect(catalog.db.prepare('SELECT typeof(ahash) AS t FROM hashes').get()).toEqual({
      t: 'integer',
    })
    catalog.db.prepare('DELETE FROM photos WHERE id = ?').run(id)
    expect(repo.forPhoto(id)).toBeNull()
    catalog.close()
  })

  it('answers "what needs analysis" and coverage from indexes, honouring versions and edits', async () => {
    const catalog = await openCatalog(path.join(tempDir(), 'c.sqlite'))
    const db = catalog.db
    const a = insertPhoto(db, '/f/a.jpg', 100)
    const b = insertPhoto(db, '/f/b.jpg', 100)
    const now = new Date().toISOString()
    for (const id of [a, b]) {
      db.prepare(
        `INSERT INTO hashes (photo_id, ahash, dhash, phash, whash, algo_version, low_information, grey_mean, grey_stddev, source_mtime_ms, computed_at)
         VALUES (?, 1, 2, 3, 4, 1, 0, 1, 1, 100, ?)`,
      ).run(id, now)
    }
    // b's file was edited after analysis: its hashes are stale.
    db.prepare('UPDATE photos SET mtime_ms = 200 WHERE id = ?').run(b)
    const repo = new AnalysisRepository(db)
    const page = repo.streamNeedingAnalysis(0, { thumbnail: 1, hash: 1, quality: 1 })
    expect(page.map((r) => [r.id, r.hashed])).toEqual([
      [a, 1],
      [b, 0],
    ])
    expect(
      repo.streamNeedingAnalysis(0, { thumbnail: 1, hash: 2, quality: 1 }).map((r) => r.hashed),
    ).toEqual([0, 0])
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ')
    expect(plan('SELECT COUNT(*) FROM hashes WHERE algo_version = 1')).toMatch(/hashes_version/)
    expect(plan('SELECT photo_id FROM quality ORDER BY score DESC LIMIT 50')).toMatch(
      /quality_score/,
    )
    expect(plan('SELECT COUNT(*) FROM thumbnails WHERE version = 1')).toMatch(/thumbnails_version/)
    catalog.close()
  })
})
