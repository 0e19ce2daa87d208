import type { Database } from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openCatalog } from '../../src/core/catalog/open-catalog'
import { migration0001 } from '../../src/core/catalog/migrations/0001-core'
import { migration0004 } from '../../src/core/catalog/migrations/0004-clip'
import type { Migration } from '../../src/core/catalog/migrations/migration'
import { ClipModelRepository } from '../../src/core/catalog/repositories/clip-model.repository'
import {
  EmbeddingRepository,
  blobToVector,
} from '../../src/core/catalog/repositories/embedding.repository'
import { TagRepository } from '../../src/core/catalog/repositories/tag.repository'
import type { ClipModel } from '../../src/core/clip/model-manager'

// Only 0001 and 0004: this test must not depend on other features' migrations.
const CORE_AND_CLIP = [migration0001, migration0004]
const root = mkdtempSync(path.join(os.tmpdir(), 'vam-clip-migration-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const catalogFile = () => path.join(root, `catalog-${++n}.sqlite`)

function insertPhoto(db: Database, name: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO photos (path, folder, name, size, mtime_ms, imported_at) VALUES (?, '/p', ?, 1, 1, '2024-01-01')`,
      )
      .run(`/p/${name}`, name).lastInsertRowid,
  )
}

/** Just enough of a model row for the repositories (the JSON is what inspectModel returns). */
function fakeModel(modelId: string, dim = 4): ClipModel {
  return { modelId, name: modelId, dir: `/models/${modelId}`, dim } as ClipModel
}

describe('migration 0004 (clip)', () => {
  it('creates models, embeddings and tags, keyed by model_id', async () => {
    const catalog = await openCatalog(catalogFile(), { migrations: CORE_AND_CLIP })
    try {
      const { db } = catalog
      expect(catalog.schemaVersion).toBe(4)
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()
      expect(tables).toEqual(expect.arrayContaining(['clip_models', 'embeddings', 'tags']))
      const photo = insertPhoto(db, 'a.jpg')
      const models = new ClipModelRepository(db)
      models.upsert(fakeModel('m-a'))
      models.upsert(fakeModel('m-b'))
      const embeddings = new EmbeddingRepository(db)
      embeddings.upsertMany('m-a', [{ photoId: photo, vector: Float32Array.from([1, 0, 0, 0]) }])
      embeddings.upsertMany('m-b', [{ photoId: photo, vector: Float32Array.from([0, 1, 0, 0]) }])
      expect(Array.from(embeddings.get(photo, 'm-a') as Float32Array)).toEqual([1, 0, 0, 0])
      expect(Array.from(embeddings.get(photo, 'm-b') as Float32Array)).toEqual([0, 1, 0, 0])
      expect(embeddings.countForModel('m-a')).toBe(1)
      expect(embeddings.countStale('m-a')).toBe(1)
      // One vector per (photo, model): a second write replaces it.
      embeddings.upsertMany('m-a', [{ photoId: photo, vector: Float32Array.from([0, 0, 1, 0]) }])
      expect(embeddings.countForModel('m-a')).toBe(1)
      expect(Array.from(embeddings.get(photo, 'm-a') as Float32Array)).toEqual([0, 0, 1, 0])
    } finally {
      catalog.close()
    }
  })

  it('allows one active model at most', async () => {
    const catalog = await openCatalog(catalogFile(), { migrations: CORE_AND_CLIP })
    try {
      const models = new ClipModelRepository(catalog.db)
      models.upsert(fakeModel('m-a'))
      models.upsert(fakeModel('m-b'))
      models.activate('m-a')
      models.activate('m-b')
      expect(models.active()?.model_id).toBe('m-b')
      expect(() => catalog.db.prepare(`UPDATE clip_models SET active = 1`).run()).toThrow(/UNIQUE/)
    } finally {
      catalog.close()
    }
  })

  it('bumps vectors_version on every vector write and delete (cache invalidation across processes)', async () => {
    const catalog = await openCatalog(catalogFile(), { migrations: CORE_AND_CLIP })
    try {
      const { db } = catalog
      const models = new ClipModelRepository(db)
      models.upsert(fakeModel('m-a'))
      models.upsert(fakeModel('m-b'))
      const p1 = insertPhoto(db, '1.jpg')
      const p2 = insertPhoto(db, '2.jpg')
      const embeddings = new EmbeddingRepository(db)
      const v0 = models.vectorsVersion('m-a')
      embeddings.upsertMany('m-a', [
        { photoId: p1, vector: new Float32Array(4) },
        { photoId: p2, vector: new Float32Array(4) },
      ])
      const v1 = models.vectorsVersion('m-a')
      expect(v1).toBeGreaterThan(v0)
      embeddings.upsertMany('m-a', [{ photoId: p1, vector: new Float32Array(4).fill(1) }])
      const v2 = models.vectorsVersion('m-a')
      expect(v2).toBeGreaterThan(v1)
      expect(models.vectorsVersion('m-b')).toBe(0)
      // Deleting a photo cascades to its vectors and tags, and that counts as a change too.
      new TagRepository(db).replaceForPhotos('m-a', [
        { photoId: p1, tags: [{ tag: 'dog', category: 'subjects', confidence: 0.9 }] },
      ])
      db.prepare('DELETE FROM photos WHERE id = ?').run(p1)
      expect(models.vectorsVersion('m-a')).toBeGreaterThan(v2)
      expect(embeddings.countForModel('m-a')).toBe(1)
      expect(db.prepare('SELECT COUNT(*) FROM tags').pluck().get()).toBe(0)
    } finally {
      catalog.close()
    }
  })

  it('upgrades a catalog made before it, keeping its photos, with a backup first', async () => {
    const file = catalogFile()
    const before = await openCatalog(file, { migrations: [migration0001] })
    const photo = insertPhoto(before.db, 'kept.jpg')
    before.close()
    const after = await openCatalog(file, { migrations: CORE_AND_CLIP })
    try {
      expect(after.schemaVersion).toBe(4)
      expect(after.db.prepare('SELECT name FROM photos WHERE id = ?').pluck().get(photo)).toBe(
        'kept.jpg',
      )
      const backups = after.db.prepare('SELECT reason FROM backups').pluck().all()
      expect(backups).toEqual(['before migration to v4'])
    } finally {
      after.close()
    }
  })

  it('still applies a lower-numbered migration that lands after it (numbers are reserved per feature)', async () => {
    const file = catalogFile()
    const first = await openCatalog(file, { migrations: CORE_AND_CLIP })
    first.close()
    const late: Migration = {
      version: 3,
      name: 'late-feature',
      up: (db) => db.exec('CREATE TABLE late_feature (id INTEGER PRIMARY KEY) STRICT'),
    }
    const second = await openCatalog(file, { migrations: [migration0001, late, migration0004] })
    try {
      const versions = second.db
        .prepare('SELECT version FROM schema_migrations ORDER BY version')
        .pluck()
        .all()
      expect(versions).toEqual([1, 3, 4])
      expect(
        second.db
          .prepare(`SELECT name FROM sqlite_master WHERE name = 'late_feature'`)
          .pluck()
          .get(),
      ).toBe('late_feature')
      expect(second.schemaVersion).toBe(4)
    } finally {
      second.close()
    }
  })

  it('stores vectors as little-endian float32 blobs', () => {
    const v = Float32Array.from([0.5, -1, 3.25])
    const blob = Buffer.from(v.buffer)
    expect(blob.readFloatLE(4)).toBe(-1)
    expect(Array.from(blobToVector(blob))).toEqual([0.5, -1, 3.25])
    // Unaligned source buffers (SQLite's) are copied, not viewed.
    const unaligned = Buffer.concat([Buffer.from([0]), blob]).subarray(1)
    expect(Array.from(blobToVector(unaligned))).toEqual([0.5, -1, 3.25])
  })
})
