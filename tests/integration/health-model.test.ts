import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { geohashOf } from '../../src/core/analysis/gps'
import { migration0001 } from '../../src/core/catalog/migrations/0001-core'
import { openCatalog } from '../../src/core/catalog/open-catalog'
import { ClipModelRepository } from '../../src/core/catalog/repositories/clip-model.repository'
import { EmbeddingRepository } from '../../src/core/catalog/repositories/embedding.repository'
import { ItemErrorRepository } from '../../src/core/catalog/repositories/item-error.repository'
import type { ClipModel } from '../../src/core/clip/model-manager'
import { renderMarkdown } from '../../src/core/health/markdown'
import { buildPlan } from '../../src/core/health/plan'
import { PhotoImportRepository } from '../../src/core/catalog/repositories/photo-import.repository'
import { openEngine } from '../../src/core/engine'
import { computeHealth } from '../../src/core/health/health-model'
import { createHealthCore } from '../../src/core/services/health.service'
import { analyzed, insertPhotos, photoRow, withGps } from '../helpers/health-catalog'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

const A = '/lib/a'
const B = '/lib/b'

/** Ten photos with known date sources, GPS states, a vanished one and errors. */
function rows() {
  return [
    photoRow(`${A}/1.jpg`, withGps(48.8584, 2.2945)),
    photoRow(`${A}/2.jpg`, { ...withGps(51.5007, -0.1246), geohash: null }),
    // Corrupted: the cell of another city.
    photoRow(`${A}/3.jpg`, {
      ...withGps(40.6892, -74.0445),
      geohash: geohashOf(35.6586, 139.7454),
    }),
    // Truncated to precision 5: the right area, but not what the catalog promises.
    photoRow(`${A}/4.jpg`, {
      ...withGps(-33.8568, 151.2153),
      geohash: geohashOf(-33.8568, 151.2153, 5),
    }),
    photoRow(`${A}/5.jpg`, { gpsLat: 0, gpsLon: 0, gpsSuspicious: 'null-island', geohash: null }),
    // A geohash left behind on a row without a position.
    photoRow(`${A}/6.jpg`, {
      geohash: geohashOf(10, 10),
      dateSource: 'filename',
      dateConfidence: 70,
    }),
    photoRow(`${B}/7.jpg`, {
      dateSource: 'filename',
      dateConfidence: 70,
      dateSuspicious: 'future',
    }),
    photoRow(`${B}/8.jpg`, { dateSource: 'folder', dateConfidence: 50 }),
    photoRow(`${B}/9.jpg`, {
      dateSource: 'file-mtime',
      dateConfidence: 30,
      mediaKind: 'video',
      format: 'mp4',
    }),
    photoRow(`${B}/sub/10.jpg`, { dateSource: 'file-mtime', dateConfidence: 30 }),
  ]
}

describe(computeHealth.name, () => {
  it('counts totals, date bands, GPS and geohash states, errors — and says what is not available', async () => {
    const dir = tempDir()
    // Only the core migration: the analysis, duplicates and CLIP features are "not landed".
    const catalog = await openCatalog(path.join(dir, 'c.sqlite'), { migrations: [migration0001] })
    try {
      const ids = insertPhotos(catalog, rows())
      new PhotoImportRepository(catalog.db).markMissing(
        ids[7] as number,
        '2026-02-01T00:00:00.000Z',
      )
      const errors = new ItemErrorRepository(catalog.db)
      errors.upsert({
        photoId: null,
        path: `${A}/notes.jpg`,
        jobId: null,
        stage: 'import',
        code: 'unsupported',
        message: 'text',
      })
      errors.upsert({
        photoId: null,
        path: `${B}/x.jpg`,
        jobId: null,
        stage: 'import',
        code: 'unsupported',
        message: 'text',
      })
      errors.upsert({
        photoId: null,
        path: `${B}/empty.jpg`,
        jobId: null,
        stage: 'import',
        code: 'empty',
        message: '0 bytes',
      })
      errors.upsert({
        photoId: ids[1] as number,
        path: `${A}/2.jpg`,
        jobId: null,
        stage: 'import',
        code: 'unreadable',
        message: 'EACCES',
      })

      const report = await computeHealth({ db: catalog.db, paths: catalog.paths }, {})
      expect(report.totals).toMatchObject({
        photos: 10,
        present: 9,
        vanished: 1,
        images: 9,
        videos: 1,
        folders: 3,
        notImported: 3,
      })
      expect(report.dates.bands).toEqual([
        { band: 'exif', count: 5 },
        { band: 'derived', count: 2 },
        { band: 'folder', count: 1 },
        { band: 'file-time', count: 2 },
        { band: 'none', count: 0 },
      ])
      expect(report.dates.suspicious).toEqual([{ flag: 'future', count: 1 }])
      expect(report.gpsSuspicious).toEqual([{ flag: 'null-island', count: 1 }])

      const cov = (d: string) => report.coverage.find((c) => c.datum === d)
      expect(cov('gps')).toMatchObject({ eligible: 10, have: 4, informational: true })
      expect(cov('geohash')).toMatchObject({ eligible: 4, have: 1, missing: 3 })
      expect(cov('geohash')?.missingBy.map((m) => [m.reason, m.count])).toEqual([
        ['never_processed', 1],
        ['mismatch', 2],
      ])
      for (const d of ['thumbnails', 'hashes', 'quality', 'embeddings']) {
        expect(cov(d)?.available).toBe(false)
        expect(cov(d)?.unavailableReason).toBeTruthy()
      }
      expect(report.duplicates.available).toBe(false)
      expect(report.bursts.available).toBe(false)

      const check = (id: string) => report.consistency.find((c) => c.check === id)
      expect(check('gps-without-geohash')?.count).toBe(1)
      expect(check('geohash-without-gps')?.count).toBe(1)
      expect(check('geohash-mismatch')?.count).toBe(2)
      expect(check('geohash-mismatch')?.examples).toEqual([`${A}/3.jpg`, `${A}/4.jpg`])
      expect(check('original-vanished')).toMatchObject({ count: 1, examples: [`${B}/8.jpg`] })
      expect(check('original-changed')?.available).toBe(false)
      expect(check('thumbnail-file-missing')?.available).toBe(false)

      expect(report.problems.map((p) => [p.stage, p.code, p.count, p.transient])).toEqual([
        ['import', 'unsupported', 2, false],
        ['import', 'empty', 1, false],
        ['import', 'unreadable', 1, true],
      ])
      expect(report.pending).toMatchObject({
        geohash: 4,
        geohashRows: 6,
        retry: 1,
        verify: 10,
        analyze: 0,
      })
      expect(report.verify).toEqual({ last: null, notVerifiedSince: 10 })

      // One folder: its sub-folders count, its sibling does not.
      const b = await computeHealth({ db: catalog.db, paths: catalog.paths }, { folder: B })
      expect(b.totals).toMatchObject({ photos: 4, vanished: 1, folders: 2, notImported: 2 })
      expect(b.problems.map((p) => [p.code, p.count])).toEqual([
        ['empty', 1],
        ['unsupported', 1],
      ])
      expect(b.coverage.find((c) => c.datum === 'geohash')?.eligible).toBe(0)
    } finally {
      catalog.close()
    }
  })

  it('the geohash job fixes exactly what health counted, and health then says so', async () => {
    const dir = tempDir()
    const engine = await openEngine(path.join(dir, 'c.sqlite'), { workerCount: 1 })
    try {
      insertPhotos(engine.catalog, rows())
      const health = createHealthCore(engine)
      const before = await health.plan()
      const geohashStep = before.plan.steps.find((s) => s.kind === 'geohash')
      expect(geohashStep?.items).toBe(4)

      const job = await engine.jobs.waitFor(engine.jobs.start({ kind: 'geohash' }).id)
      expect(job).toMatchObject({ state: 'completed', total: 6, done: 6, failed: 0 })

      const after = await health.report()
      expect(after.coverage.find((c) => c.datum === 'geohash')).toMatchObject({
        have: 4,
        missing: 0,
        percent: 100,
      })
      expect(after.consistency.filter((c) => c.check.startsWith('g')).map((c) => c.count)).toEqual([
        0, 0, 0,
      ])
      expect(after.pending.geohash).toBe(0)
      const fixed = engine.catalog.db
        .prepare('SELECT name, geohash FROM photos ORDER BY id')
        .all() as { name: string; geohash: string | null }[]
      expect(fixed.find((r) => r.name === '3.jpg')?.geohash).toBe(geohashOf(40.6892, -74.0445))
      expect(fixed.find((r) => r.name === '4.jpg')?.geohash).toHaveLength(12)
      expect(fixed.find((r) => r.name === '5.jpg')?.geohash).toBeNull()
      expect(fixed.find((r) => r.name === '6.jpg')?.geohash).toBeNull()
      expect((await health.plan()).plan.steps.map((s) => s.kind)).not.toContain('geohash')
    } finally {
      await engine.close()
    }
  })

  it('explains every missing thumbnail, hash and quality row by its first reason', async () => {
    const dir = tempDir()
    const catalog = await openCatalog(path.join(dir, 'c.sqlite'))
    try {
      const ids = insertPhotos(
        catalog,
        Array.from({ length: 10 }, (_, i) => photoRow(`${A}/${i + 1}.jpg`)),
      )
      const id = (n: number) => ids[n - 1] as number
      for (const n of [1, 2, 3]) analyzed(catalog, id(n))
      analyzed(catalog, id(4), { thumbnailFiles: [256] }) // the 1024 px file was deleted
      analyzed(catalog, id(5), { thumbnails: false, quality: false, hashVersion: 0 }) // old hash algorithm
      // 6: corrupt; 9: unreadable once (worth retrying); 10: unreadable three times (not any more).
      const errors = new ItemErrorRepository(catalog.db)
      const fail = (n: number, code: 'corrupt' | 'unreadable', times = 1) => {
        for (let i = 0; i < times; i++) {
          errors.upsert({
            photoId: id(n),
            path: `${A}/${n}.jpg`,
            jobId: null,
            stage: 'analyze',
            code,
            message: code,
          })
        }
      }
      fail(6, 'corrupt')
      fail(9, 'unreadable')
      fail(10, 'unreadable', 3)
      new PhotoImportRepository(catalog.db).markMissing(id(7), '2026-02-01T00:00:00.000Z')
      analyzed(catalog, id(8), { sourceMtimeMs: 1 }) // the original changed since it was analysed

      const report = await computeHealth({ db: catalog.db, paths: catalog.paths }, {})
      const reasons = (d: string) =>
        Object.fromEntries(
          (report.coverage.find((c) => c.datum === d)?.missingBy ?? []).map((m) => [
            m.reason,
            m.count,
          ]),
        )
      const cov = (d: string) => report.coverage.find((c) => c.datum === d)
      expect(cov('thumbnails')).toMatchObject({ eligible: 10, have: 3, missing: 7, percent: 30 })
      expect(reasons('thumbnails')).toEqual({
        file_missing: 1,
        never_processed: 1,
        corrupt: 1,
        vanished: 1,
        outdated: 1,
        unreadable: 2,
      })
      expect(cov('hashes')).toMatchObject({ have: 4, missing: 6 })
      expect(reasons('hashes')).toEqual({ outdated: 2, corrupt: 1, vanished: 1, unreadable: 2 })
      expect(cov('quality')).toMatchObject({ have: 4, missing: 6 })
      expect(reasons('quality')).toEqual({
        never_processed: 1,
        corrupt: 1,
        vanished: 1,
        outdated: 1,
        unreadable: 2,
      })
      expect(
        cov('thumbnails')?.missingBy.find((m) => m.reason === 'file_missing')?.examples,
      ).toEqual([`${A}/4.jpg`])
      const missingFile = report.consistency.find((c) => c.check === 'thumbnail-file-missing')
      expect(missingFile?.count).toBe(1)
      expect(missingFile?.examples[0]).toBe(
        path.join(catalog.paths.cacheDir, String(id(4) % 7), `${id(4)}-1024.webp`),
      )
      // The embeddings table exists but no model is active: said, not counted.
      expect(cov('embeddings')).toMatchObject({ available: false })
      expect(cov('embeddings')?.unavailableReason).toContain('no CLIP model')
      // 4 (file), 5 (never/outdated), 8 (changed): analyze's work. 9 is retry-failed's; 6 and 10 are nobody's.
      expect(report.pending).toMatchObject({ analyze: 3, retry: 1 })
      expect(report.problems).toEqual([
        {
          stage: 'analyze',
          code: 'unreadable',
          count: 2,
          transient: true,
          retryable: 1,
          examples: [`${A}/10.jpg`, `${A}/9.jpg`],
        },
        {
          stage: 'analyze',
          code: 'corrupt',
          count: 1,
          transient: false,
          retryable: 0,
          examples: [`${A}/6.jpg`],
        },
      ])
      expect(report.duplicates).toMatchObject({ available: true, groups: 0, lastRunAt: null })

      const plan = buildPlan({ report, measuredRate: () => null, workers: 1, now: new Date() })
      expect(plan.steps.map((s) => s.kind)).toEqual([
        'verify',
        'retry-failed',
        'analyze',
        'duplicates',
        'bursts',
      ])
      const expected = plan.expected.find((e) => e.datum === 'thumbnails')
      // Left after the plan: the corrupt one, the vanished one, and the unreadable one that was
      // retried too often (the other unreadable one is retried).
      expect(Object.fromEntries(expected?.remaining.map((r) => [r.reason, r.count]) ?? [])).toEqual(
        {
          corrupt: 1,
          vanished: 1,
          unreadable: 1,
        },
      )
      expect(expected?.afterPercent).toBe(70)

      // A folder scope with no photos of its own is empty, not an error.
      const other = await computeHealth({ db: catalog.db, paths: catalog.paths }, { folder: B })
      expect(other.totals.photos).toBe(0)
      expect(other.coverage.find((c) => c.datum === 'thumbnails')).toMatchObject({
        eligible: 0,
        percent: 100,
      })

      const md = renderMarkdown(report, plan)
      expect(md).toContain('# Catalog Health & Recovery Plan')
      expect(md).toContain('**Thumbnails:** 30% — 3 of 10; 7 missing:')
      expect(md).toContain('vam run analyze')
      // Never-run duplicate detection is something to do, not something complete.
      const needsAction = md.indexOf('### ❌ Needs action')
      expect(md.indexOf('**Duplicates:** never run')).toBeGreaterThan(needsAction)
      expect(md.indexOf('**Bursts:** never run')).toBeGreaterThan(needsAction)
    } finally {
      catalog.close()
    }
  })

  it("counts CLIP embeddings of the active model only; other models' vectors are outdated", async () => {
    const dir = tempDir()
    const catalog = await openCatalog(path.join(dir, 'c.sqlite'))
    try {
      const ids = insertPhotos(
        catalog,
        Array.from({ length: 4 }, (_, i) => photoRow(`${A}/${i + 1}.jpg`)),
      )
      const models = new ClipModelRepository(catalog.db)
      for (const modelId of ['vit-b32@old', 'vit-b32@new']) {
        models.upsert({ modelId, name: modelId, dir: '/models', dim: 2 } as unknown as ClipModel)
      }
      models.activate('vit-b32@new')
      const vectors = new EmbeddingRepository(catalog.db)
      const v = new Float32Array([0.6, 0.8])
      vectors.upsertMany('vit-b32@new', [{ photoId: ids[0] as number, vector: v }])
      vectors.upsertMany('vit-b32@old', [{ photoId: ids[1] as number, vector: v }])
      new ItemErrorRepository(catalog.db).upsert({
        photoId: ids[2] as number,
        path: `${A}/3.jpg`,
        jobId: null,
        stage: 'clip',
        code: 'worker_crash',
        message: 'onnxruntime died',
      })
      const report = await computeHealth({ db: catalog.db, paths: catalog.paths }, {})
      const emb = report.coverage.find((c) => c.datum === 'embeddings')
      expect(report.clipModel).toBe('vit-b32@new')
      expect(emb).toMatchObject({ available: true, have: 1, missing: 3, job: 'clip' })
      expect(Object.fromEntries(emb?.missingBy.map((m) => [m.reason, m.count]) ?? [])).toEqual({
        outdated: 1,
        worker_crash: 1,
        never_processed: 1,
      })
      // Two to embed, plus the crashed one once retry-failed cleared it.
      expect(report.pending.clip).toBe(3)
      const plan = buildPlan({ report, measuredRate: () => null, workers: 1, now: new Date() })
      const clip = plan.steps.find((s) => s.kind === 'clip')
      expect(clip).toMatchObject({ items: 3, after: ['verify', 'retry-failed'] })
    } finally {
      catalog.close()
    }
  })
})
