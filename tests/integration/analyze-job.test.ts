import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { hammingDistance, hexToHash } from '../../src/core/analysis/hashes'
import { HashRepository } from '../../src/core/catalog/repositories/hash.repository'
import { ItemErrorRepository } from '../../src/core/catalog/repositories/item-error.repository'
import { QualityRepository } from '../../src/core/catalog/repositories/quality.repository'
import { ThumbnailRepository } from '../../src/core/catalog/repositories/thumbnail.repository'
import { openEngine, type Engine } from '../../src/core/engine'
import { computeHealth } from '../../src/core/health/health-model'
import { FilePresence } from '../../src/core/health/file-presence'
import { thumbnailFileFor } from '../../src/core/media/thumbnail-files'
import type { JobDto, JobParams } from '../../src/shared/jobs'
import { insertPhotoRow } from '../helpers/photo-rows'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()
const FIXTURES = path.resolve(__dirname, '../fixtures')
const REF = JSON.parse(readFileSync(path.join(FIXTURES, 'ref-hashes.json'), 'utf8')) as Record<
  string,
  Record<'ahash' | 'dhash' | 'phash' | 'whash', string>
>
const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
  delete process.env.VAM_FAULT_EXIT_ON
})

async function run(engine: Engine, params: JobParams): Promise<JobDto> {
  const job = engine.jobs.start(params)
  return engine.jobs.waitFor(job.id)
}

/** A library: the fixture photos, a HEIC, a corrupt JPEG, a decompression bomb. */
async function makeLibrary(): Promise<{ root: string; catalog: string }> {
  const base = tempDir()
  const root = path.join(base, 'library')
  mkdirSync(path.join(root, 'trip'), { recursive: true })
  for (const name of readdirSync(path.join(FIXTURES, 'photos'))) {
    copyFileSync(path.join(FIXTURES, 'photos', name), path.join(root, 'trip', name))
  }
  copyFileSync(
    path.join(FIXTURES, 'heic', 'mate_LadyBird-480.heic'),
    path.join(root, 'ladybird.heic'),
  )
  // A JPEG whose header is fine and whose data is garbage.
  const good = await sharp(path.join(FIXTURES, 'photos', 'skimage_coffee.png'))
    .jpeg()
    .toBuffer()
  writeFileSync(
    path.join(root, 'broken.jpg'),
    Buffer.concat([good.subarray(0, 700), Buffer.alloc(3000, 0xff)]),
  )
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
    .png()
    .toBuffer()
  png.writeUInt32BE(40_000, 16)
  png.writeUInt32BE(40_000, 20)
  writeFileSync(path.join(root, 'bomb.png'), png)
  return { root, catalog: path.join(base, 'catalog.sqlite') }
}

describe('analyze job', () => {
  it('derives thumbnails, hashes and quality for every photo, with coded errors for the rest', async () => {
    const { root, catalog } = await makeLibrary()
    const engine = await openEngine(catalog, { workerCount: 2 })
    engines.push(engine)
    const imported = await run(engine, { kind: 'import', root })
    expect(imported.state).toBe('completed')
    const db = engine.catalog.db
    // The import refuses these; they reach catalogs anyway (files damaged after import).
    insertPhotoRow(db, path.join(root, 'broken.jpg'), { format: 'jpeg' })
    insertPhotoRow(db, path.join(root, 'bomb.png'), { format: 'png' })
    const photos = db.prepare('SELECT id, path, name FROM photos ORDER BY id').all() as {
      id: number
      path: string
      name: string
    }[]
    const analyzable = photos.filter((p) => !['broken.jpg', 'bomb.png'].includes(p.name))

    const job = await run(engine, { kind: 'analyze' })
    expect(job.state).toBe('completed')
    expect(job.done).toBe(analyzable.length)
    expect(job.done + job.failed + job.skipped).toBe(job.total)

    const thumbs = new ThumbnailRepository(db)
    const hashes = new HashRepository(db)
    const quality = new QualityRepository(db)
    for (const p of analyzable) {
      for (const size of [256, 1024]) {
        const file = thumbnailFileFor(db, engine.catalog.paths, p.id, size)
        expect(file, `${p.name} ${size}`).not.toBeNull()
        const meta = await sharp(file as string).metadata()
        expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(size)
        expect(file?.startsWith(engine.catalog.paths.cacheDir)).toBe(true)
      }
      expect(thumbs.forPhoto(p.id)).toHaveLength(2)
      expect(hashes.forPhoto(p.id)?.hex.ahash).toMatch(/^[0-9a-f]{16}$/)
      const q = quality.forPhoto(p.id)
      expect(q?.score).toBeGreaterThan(0)
      expect(q?.score).toBeLessThanOrEqual(100)
      expect(q?.explanation.length).toBeGreaterThan(10)
      // Hashes in the catalog agree with imagehash (fixtures all have orientation 1).
      const ref = REF[`photos/${p.name}`]
      if (ref) {
        const stored = hashes.forPhoto(p.id)
        for (const algo of ['ahash', 'dhash', 'phash', 'whash'] as const) {
          expect(
            hammingDistance(stored?.[algo] ?? 0n, hexToHash(ref[algo])),
            `${p.name} ${algo}`,
          ).toBeLessThanOrEqual(6)
        }
      }
    }
    const errors = new ItemErrorRepository(db)
    const codeOf = (name: string) => errors.forPhoto(photos.find((p) => p.name === name)?.id ?? 0)
    // The import may already refuse the bomb; if it reached the catalog, analyze refuses it.
    for (const [name, code] of [
      ['broken.jpg', 'corrupt'],
      ['bomb.png', 'too_large'],
    ] as const) {
      const row = photos.find((p) => p.name === name)
      if (!row) continue
      expect(codeOf(name).find((e) => e.stage === 'analyze')?.code, name).toBe(code)
    }

    // Coverage as the health report derives it (row current AND file present).
    const coverageOf = async (datum: string) => {
      const report = await computeHealth(
        { db, paths: engine.catalog.paths, files: new FilePresence() },
        {},
      )
      const c = report.coverage.find((x) => x.datum === datum)
      return {
        have: c?.have,
        missingBy: Object.fromEntries((c?.missingBy ?? []).map((g) => [g.reason, g.count])),
      }
    }
    for (const datum of ['thumbnails', 'hashes', 'quality']) {
      const coverage = await coverageOf(datum)
      expect(coverage.have, datum).toBe(analyzable.length)
      expect(coverage.missingBy, datum).toEqual({ corrupt: 1, too_large: 1 })
    }

    // Second run: everything current is skipped.
    const again = await run(engine, { kind: 'analyze' })
    expect([again.done, again.skipped]).toEqual([0, analyzable.length])

    // A vanished thumbnail file counts as missing and is regenerated; nothing else is redone.
    const victim = analyzable[3]
    const victimFile = thumbnailFileFor(db, engine.catalog.paths, victim?.id ?? 0, 256) as string
    rmSync(victimFile)
    expect((await coverageOf('thumbnails')).have).toBe(analyzable.length - 1)
    const repaired = await run(engine, { kind: 'analyze' })
    expect(repaired.done).toBe(1)
    expect(existsSync(victimFile)).toBe(true)

    // The broken file is replaced by a good one: it succeeds and its old error is cleared.
    const brokenId = photos.find((p) => p.name === 'broken.jpg')?.id as number
    copyFileSync(path.join(FIXTURES, 'photos', 'mate_Dune.jpg'), path.join(root, 'broken.jpg'))
    const retried = await run(engine, { kind: 'analyze' })
    expect([retried.done, retried.failed]).toEqual([1, 1])
    expect(errors.forPhoto(brokenId).filter((e) => e.stage === 'analyze')).toEqual([])
    expect(hashes.forPhoto(brokenId)).not.toBeNull()

    // --force recomputes everything; --folder limits the scope.
    const forced = await run(engine, {
      kind: 'analyze',
      force: true,
      folder: path.join(root, 'trip'),
    })
    expect(forced.done).toBe(12)
    expect(forced.total).toBe(12)
  })

  it('cancels mid-job keeping finished work; the next run does only the rest', async () => {
    const { root, catalog } = await makeLibrary()
    rmSync(path.join(root, 'broken.jpg'))
    rmSync(path.join(root, 'bomb.png'))
    const engine = await openEngine(catalog, { workerCount: 1 })
    engines.push(engine)
    await run(engine, { kind: 'import', root })
    const job = engine.jobs.start({ kind: 'analyze' })
    const off = engine.events.on('jobChanged', (j) => {
      if (j.id === job.id && j.state === 'running' && j.currentItem) {
        off()
        engine.jobs.cancel(job.id)
      }
    })
    const cancelled = await engine.jobs.waitFor(job.id)
    expect(cancelled.state).toBe('cancelled')
    const db = engine.catalog.db
    const written = (db.prepare('SELECT COUNT(*) AS n FROM hashes').get() as { n: number }).n
    expect(written).toBe(cancelled.done)
    expect(written).toBeLessThan(13)
    const rest = await run(engine, { kind: 'analyze' })
    expect([rest.done, rest.skipped, rest.failed]).toEqual([13 - written, written, 0])
  })

  it('survives a worker crash: the item fails as worker_crash, the job goes on', async () => {
    const { root, catalog } = await makeLibrary()
    rmSync(path.join(root, 'broken.jpg'))
    rmSync(path.join(root, 'bomb.png'))
    // Workers inherit the environment: the one that gets this photo exits mid-task.
    process.env.VAM_FAULT_EXIT_ON = 'mate_Storm'
    const engine = await openEngine(catalog, { workerCount: 2 })
    engines.push(engine)
    await run(engine, { kind: 'import', root })
    const job = await run(engine, { kind: 'analyze' })
    expect(job.state).toBe('completed')
    expect(job.failed).toBe(1)
    expect(job.done).toBe(12)
    const errors = new ItemErrorRepository(engine.catalog.db).firstOfCode(
      'worker_crash',
      10,
      job.id,
    )
    expect(errors.map((e) => path.basename(e.path))).toEqual(['mate_Storm.jpg'])
  })
})
