import type { Database } from 'better-sqlite3'
import BetterSqlite from 'better-sqlite3'
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openCatalog } from '../../src/core/catalog/open-catalog'
import { migration0001 } from '../../src/core/catalog/migrations/0001-core'
import { migration0004 } from '../../src/core/catalog/migrations/0004-clip'
import { ClipModelRepository } from '../../src/core/catalog/repositories/clip-model.repository'
import { EmbeddingRepository } from '../../src/core/catalog/repositories/embedding.repository'
import { forgetVectorIndex, vectorIndexFor } from '../../src/core/clip/clip-cache'
import { clipPairSimilarities } from '../../src/core/clip/pair-similarity'
import type { ClipModel } from '../../src/core/clip/model-manager'
import { rowVector } from '../../src/core/clip/vector-search'
import { readSnapshot, snapshotFileOf } from '../../src/core/clip/vector-snapshot'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()
const DIM = 16
const model = { modelId: 'm-16', name: 'm', dir: '/m', dim: DIM } as ClipModel

function unit(i: number): Float32Array {
  const v = new Float32Array(DIM)
  v[i % DIM] = 1
  return v
}

function addPhotos(db: Database, n: number): number[] {
  const insert = db.prepare(
    `INSERT INTO photos (path, folder, name, size, mtime_ms, imported_at) VALUES (?, '/p', ?, 1, 1, '2024-01-01')`,
  )
  const start = (db.prepare('SELECT COUNT(*) FROM photos').pluck().get() as number) + 1
  return Array.from({ length: n }, (_, i) =>
    Number(insert.run(`/p/${start + i}.jpg`, `${start + i}.jpg`).lastInsertRowid),
  )
}

describe(vectorIndexFor.name, () => {
  it('loads once, applies new and changed vectors in place, and reloads after deletions', async () => {
    const file = path.join(tempDir(), 'catalog.sqlite')
    const catalog = await openCatalog(file, { migrations: [migration0001, migration0004] })
    try {
      const { db } = catalog
      new ClipModelRepository(db).upsert(model)
      const embeddings = new EmbeddingRepository(db)
      const first = addPhotos(db, 10)
      embeddings.upsertMany(
        model.modelId,
        first.map((id) => ({ photoId: id, vector: unit(id) })),
      )

      const a = vectorIndexFor(db, model)
      expect(a.matrix.count).toBe(10)
      expect(vectorIndexFor(db, model)).toBe(a) // unchanged: the same object, no query but the version

      // Another process (a running clip job) adds five vectors and replaces one.
      const other = new BetterSqlite(file)
      try {
        const more = addPhotos(other, 5)
        const otherRepo = new EmbeddingRepository(other)
        otherRepo.upsertMany(
          model.modelId,
          more.map((id) => ({ photoId: id, vector: unit(id) })),
        )
        otherRepo.upsertMany(model.modelId, [{ photoId: first[0] as number, vector: unit(7) }])
      } finally {
        other.close()
      }
      const b = vectorIndexFor(db, model)
      expect(b).not.toBe(a)
      expect(b.matrix.count).toBe(15)
      expect(b.matrix.data).toBe(a.matrix.data) // refreshed in place, not reloaded
      const replaced = b.rowOf.get(first[0] as number) as number
      expect(Array.from(rowVector(b.matrix, replaced))).toEqual(Array.from(unit(7)))
      expect([...b.rowOf.keys()].sort((x, y) => x - y)).toEqual([...first, 11, 12, 13, 14, 15])

      // A deleted photo takes its vector with it: the index is rebuilt without it.
      db.prepare('DELETE FROM photos WHERE id = ?').run(first[1])
      const c = vectorIndexFor(db, model)
      expect(c.matrix.data).not.toBe(b.matrix.data)
      expect(c.matrix.count).toBe(14)
      expect(c.rowOf.has(first[1] as number)).toBe(false)
    } finally {
      catalog.close()
    }
  })

  it('never mixes models: another model id gets its own matrix', async () => {
    const catalog = await openCatalog(path.join(tempDir(), 'catalog.sqlite'), {
      migrations: [migration0001, migration0004],
    })
    try {
      const { db } = catalog
      const other = { ...model, modelId: 'm-other' } as ClipModel
      const models = new ClipModelRepository(db)
      models.upsert(model)
      models.upsert(other)
      const ids = addPhotos(db, 4)
      const embeddings = new EmbeddingRepository(db)
      embeddings.upsertMany(
        model.modelId,
        ids.map((id) => ({ photoId: id, vector: unit(1) })),
      )
      embeddings.upsertMany(
        other.modelId,
        ids.slice(0, 2).map((id) => ({ photoId: id, vector: unit(2) })),
      )
      expect(vectorIndexFor(db, model).matrix.count).toBe(4)
      const b = vectorIndexFor(db, other)
      expect(b.modelId).toBe('m-other')
      expect(b.matrix.count).toBe(2)
      expect(Array.from(rowVector(b.matrix, 0))).toEqual(Array.from(unit(2)))
    } finally {
      catalog.close()
    }
  })

  it('gives the cosine of photo pairs under the active model only (duplicate-review evidence)', async () => {
    const catalog = await openCatalog(path.join(tempDir(), 'catalog.sqlite'), {
      migrations: [migration0001, migration0004],
    })
    try {
      const { db } = catalog
      const [a, b, c] = addPhotos(db, 3) as [number, number, number]
      expect(clipPairSimilarities(db, [[a, b]])).toEqual([null])
      const models = new ClipModelRepository(db)
      models.upsert(model)
      models.upsert({ ...model, modelId: 'm-old' } as ClipModel)
      const embeddings = new EmbeddingRepository(db)
      const diagonal = Float32Array.from({ length: DIM }, (_, i) => (i < 2 ? Math.SQRT1_2 : 0))
      embeddings.upsertMany(model.modelId, [
        { photoId: a, vector: unit(0) },
        { photoId: b, vector: diagonal },
      ])
      embeddings.upsertMany('m-old', [{ photoId: c, vector: unit(0) }])
      models.activate(model.modelId)
      const [ab, ac, aa] = clipPairSimilarities(db, [
        [a, b],
        [a, c],
        [a, a],
      ])
      expect(ab).toBeCloseTo(Math.SQRT1_2, 6)
      expect(ac).toBeNull() // c has a vector only from another model: never compared across spaces
      expect(aa).toBeCloseTo(1, 6)
    } finally {
      catalog.close()
    }
  })

  it('starts a new process from the snapshot file, brings it up to date, and ignores a bad one', async () => {
    const dir = tempDir()
    const catalog = await openCatalog(path.join(dir, 'catalog.sqlite'), {
      migrations: [migration0001, migration0004],
    })
    try {
      const { db } = catalog
      const file = snapshotFileOf(path.join(dir, 'cache'), model.modelId)
      new ClipModelRepository(db).upsert(model)
      const embeddings = new EmbeddingRepository(db)
      const first = addPhotos(db, 6)
      embeddings.upsertMany(
        model.modelId,
        first.map((id) => ({ photoId: id, vector: unit(id) })),
      )
      const loaded = vectorIndexFor(db, model, file) as { loadedAt?: string }
      await waitFor(() => existsSync(file))
      expect(readSnapshot(file, model.modelId, DIM)?.header).toMatchObject({ count: 6, dim: DIM })
      expect(readSnapshot(file, 'another-model', DIM)).toBeNull()

      // A "new process": nothing in memory; the snapshot is read, not the catalog.
      forgetVectorIndex(db)
      const fromFile = vectorIndexFor(db, model, file) as {
        loadedAt?: string
        matrix: { count: number }
      }
      expect(fromFile.loadedAt).toBe(loaded.loadedAt)
      expect(fromFile.matrix.count).toBe(6)

      // Vectors written after the snapshot are applied on top of it.
      const more = addPhotos(db, 2)
      embeddings.upsertMany(
        model.modelId,
        more.map((id) => ({ photoId: id, vector: unit(id) })),
      )
      forgetVectorIndex(db)
      const updated = vectorIndexFor(db, model, file)
      expect(updated.matrix.count).toBe(8)
      expect(
        Array.from(rowVector(updated.matrix, updated.rowOf.get(more[1] as number) as number)),
      ).toEqual(Array.from(unit(more[1] as number)))

      // A damaged snapshot is ignored: the catalog is read instead.
      writeFileSync(file, 'VAMVEC1\0garbage')
      forgetVectorIndex(db)
      const reread = vectorIndexFor(db, model, file) as {
        loadedAt?: string
        matrix: { count: number }
      }
      expect(reread.matrix.count).toBe(8)
      expect(reread.loadedAt).not.toBe(loaded.loadedAt)
    } finally {
      catalog.close()
    }
  })
})

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++)
    await new Promise((resolve) => setTimeout(resolve, 10))
  expect(condition()).toBe(true)
}
