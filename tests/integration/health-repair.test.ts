import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { ItemErrorRepository } from '../../src/core/catalog/repositories/item-error.repository'
import { openEngine, type Engine } from '../../src/core/engine'
import { createHealthCore } from '../../src/core/services/health.service'
import type { JobDto, JobParams } from '../../src/shared/jobs'
import { insertPhotos, photoRow, withGps } from '../helpers/health-catalog'
import { useTempDirs } from '../helpers/temp-dir'

const FIXTURES = path.resolve('tests/fixtures/photos')
const tempDir = useTempDirs()
const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

async function run(engine: Engine, params: JobParams): Promise<JobDto> {
  return engine.jobs.waitFor(engine.jobs.start(params).id)
}

/** Small JPEGs from real photos (fast to analyze). */
async function smallPhotos(dir: string, names: readonly string[]): Promise<string[]> {
  mkdirSync(dir, { recursive: true })
  const out: string[] = []
  for (const name of names) {
    const file = path.join(dir, `${path.parse(name).name}.jpg`)
    await sharp(path.join(FIXTURES, name)).resize(320).jpeg().toFile(file)
    out.push(file)
  }
  return out
}

async function open(dir: string): Promise<Engine> {
  const engine = await openEngine(path.join(dir, 'catalog.sqlite'), { workerCount: 1 })
  engines.push(engine)
  return engine
}

describe('verify job', () => {
  it('keeps data of touched files, re-queues changed ones, marks vanished ones and clears returned ones', async () => {
    const dir = tempDir()
    const root = path.join(dir, 'lib')
    const [touched, changed, vanishing] = (await smallPhotos(root, [
      'kde_Kite.jpg',
      'mate_Storm.jpg',
      'mate_Dune.jpg',
      'skimage_coffee.png',
    ])) as [string, string, string]
    const engine = await open(dir)
    const db = engine.catalog.db
    await run(engine, { kind: 'import', root })
    await run(engine, { kind: 'analyze' })
    const health = createHealthCore(engine)

    const later = new Date('2030-01-01T00:00:00Z')
    utimesSync(touched, later, later)
    await sharp(path.join(FIXTURES, 'mate_Storm.jpg')).resize(300).flip().jpeg().toFile(changed)
    const bytes = readFileSync(vanishing)
    rmSync(vanishing)

    const job = await run(engine, { kind: 'verify' })
    expect(job).toMatchObject({ state: 'completed', total: 4, done: 4, failed: 0 })
    const first = (await health.report()).verify.last
    expect(first).toMatchObject({
      checked: 4,
      touched: 1,
      changed: 1,
      vanished: 1,
      returned: 0,
      relinked: 0,
    })

    const report = await health.report()
    const thumbs = report.coverage.find((c) => c.datum === 'thumbnails')
    // The touched photo keeps its thumbnails; the changed one's are outdated; the vanished one
    // keeps what it had (it is counted as vanished in the totals, not as a gap).
    expect(thumbs?.missingBy.map((m) => [m.reason, m.count, m.examples])).toEqual([
      ['outdated', 1, [changed]],
    ])
    expect(report.totals.vanished).toBe(1)
    expect(report.consistency.find((c) => c.check === 'original-changed')?.count).toBe(1)
    const plan = (await health.plan()).plan
    expect(plan.steps.map((s) => [s.kind, s.items])).toEqual([
      ['analyze', 1],
      ['duplicates', 4],
      ['bursts', 4],
    ])

    writeFileSync(vanishing, bytes)
    const again = await run(engine, { kind: 'verify' })
    expect(again.state).toBe('completed')
    // Restored with the same bytes (a new mtime): back, and only touched.
    expect((await health.report()).verify.last).toMatchObject({
      returned: 1,
      vanished: 0,
      touched: 1,
      changed: 0,
    })
    expect(
      db.prepare('SELECT COUNT(*) AS n FROM photos WHERE missing_since IS NOT NULL').get(),
    ).toEqual({ n: 0 })
  })
})

describe('retry-failed job', () => {
  it('re-runs the failed stage for transient errors only, and gives up after three attempts', async () => {
    const dir = tempDir()
    const root = path.join(dir, 'lib')
    const [a, b] = (await smallPhotos(root, ['kde_Kite.jpg', 'mate_Storm.jpg'])) as [string, string]
    const engine = await open(dir)
    const db = engine.catalog.db
    await run(engine, { kind: 'import', root })
    // Files the import could not read at the time (a locked file, one still being copied).
    const [late, stuck] = (await smallPhotos(path.join(root, 'late'), [
      'mate_Dune.jpg',
      'skimage_coffee.png',
    ])) as [string, string]
    const errors = new ItemErrorRepository(db)
    const ids = Object.fromEntries(
      (db.prepare('SELECT id, path FROM photos').all() as { id: number; path: string }[]).map(
        (r) => [r.path, r.id],
      ),
    )
    errors.upsert({
      photoId: null,
      path: late,
      jobId: null,
      stage: 'import',
      code: 'unreadable',
      message: 'EBUSY',
    })
    for (let i = 0; i < 3; i++) {
      errors.upsert({
        photoId: null,
        path: stuck,
        jobId: null,
        stage: 'import',
        code: 'truncated',
        message: 'short',
      })
    }
    errors.upsert({
      photoId: ids[a] as number,
      path: a,
      jobId: null,
      stage: 'analyze',
      code: 'worker_crash',
      message: 'worker exited',
    })
    errors.upsert({
      photoId: ids[b] as number,
      path: b,
      jobId: null,
      stage: 'analyze',
      code: 'corrupt',
      message: 'bad data',
    })
    errors.upsert({
      photoId: null,
      path: path.join(root, 'gone.jpg'),
      jobId: null,
      stage: 'import',
      code: 'unreadable',
      message: 'EIO',
    })

    const health = createHealthCore(engine)
    const before = await health.report()
    expect(before.pending.retry).toBe(3)
    expect(before.problems.find((p) => p.code === 'truncated')).toMatchObject({
      transient: true,
      retryable: 0,
    })

    const job = await run(engine, { kind: 'retry-failed' })
    expect(job).toMatchObject({ state: 'completed', total: 3, done: 2, skipped: 1, failed: 0 })
    const left = db
      .prepare('SELECT path, stage, code, attempts FROM item_errors ORDER BY path')
      .all()
    // Imported now; analysed directly; the vanished one's error dropped; the others untouched.
    expect(left).toEqual([
      { path: stuck, stage: 'import', code: 'truncated', attempts: 3 },
      { path: b, stage: 'analyze', code: 'corrupt', attempts: 1 },
    ])
    expect(db.prepare('SELECT COUNT(*) AS n FROM photos WHERE path = ?').get(late)).toEqual({
      n: 1,
    })
    expect(
      db.prepare('SELECT COUNT(*) AS n FROM thumbnails WHERE photo_id = ?').get(ids[a]),
    ).toEqual({ n: 2 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM hashes WHERE photo_id = ?').get(ids[a])).toEqual({
      n: 1,
    })

    const after = await health.plan()
    expect(after.report.pending.retry).toBe(0)
    expect(after.plan.steps.map((s) => s.kind)).not.toContain('retry-failed')
    expect(after.plan.notes.join(' ')).toContain('failed 3 times')
    expect(existsSync(stuck)).toBe(true)
  })
})

describe('runPlan in parallel', () => {
  it('queues each job behind exactly the jobs it needs and raises the engine’s concurrency', async () => {
    const dir = tempDir()
    const engine = await open(dir)
    // Rows only (their files do not exist): verify marks them vanished, the rest is quick.
    insertPhotos(engine.catalog, [
      photoRow('/nowhere/1.jpg', { ...withGps(48.85, 2.29), geohash: null }),
      photoRow('/nowhere/2.jpg'),
    ])
    const health = createHealthCore(engine)
    const { plan } = await health.plan()
    expect(plan.steps.map((s) => [s.kind, s.after])).toEqual([
      ['verify', []],
      ['geohash', []],
      ['analyze', ['verify']],
      ['duplicates', ['analyze']],
      ['bursts', ['analyze']],
    ])
    const result = await health.runPlan({ parallel: true })
    expect(result).toMatchObject({ parallel: true, maxConcurrent: 2 })
    const jobs = await Promise.all(result.jobIds.map((id) => engine.jobs.waitFor(id)))
    const idOf = (kind: string) => jobs.find((j) => j.kind === kind)?.id
    expect(jobs.map((j) => [j.kind, j.dependsOn, j.state])).toEqual([
      ['verify', [], 'completed'],
      ['geohash', [], 'completed'],
      ['analyze', [idOf('verify')], 'completed'],
      ['duplicates', [idOf('analyze')], 'completed'],
      ['bursts', [idOf('analyze')], 'completed'],
    ])
    const report = await health.report()
    expect(report.totals.vanished).toBe(2)
    expect(report.coverage.find((c) => c.datum === 'geohash')?.percent).toBe(100)
    // A second click while nothing is left to do queues nothing.
    expect((await health.runPlan({ parallel: true })).jobIds).toEqual([])
  })
})
