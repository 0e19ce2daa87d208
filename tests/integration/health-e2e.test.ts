import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { geohashOf } from '../../src/core/analysis/gps'
import { RepairRepository } from '../../src/core/catalog/repositories/repair.repository'
import { openEngine, type Engine } from '../../src/core/engine'
import { createHealthCore } from '../../src/core/services/health.service'
import type { JobDto, JobParams } from '../../src/shared/jobs'
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

function gpsExif(lat: [number, number, number], lon: [number, number, number]) {
  const dms = (v: [number, number, number]) => `${v[0]}/1 ${v[1]}/1 ${v[2] * 100}/100`
  return {
    IFD0: { Make: 'TestCam', Model: 'T-1000' },
    IFD2: { DateTimeOriginal: '2019:04:12 15:30:12' },
    IFD3: {
      GPSLatitudeRef: 'N',
      GPSLatitude: dms(lat),
      GPSLongitudeRef: 'E',
      GPSLongitude: dms(lon),
    },
  }
}

/**
 * The library: a/ (real photos, two GPS-tagged variants, one photo that rots on disk after import,
 * an empty file), b/ (real photos), c/ (real photos that analyze is never run on).
 */
async function buildLibrary(root: string) {
  const a = path.join(root, 'a')
  const b = path.join(root, 'b')
  const c = path.join(root, 'c')
  for (const dir of [a, b, c]) mkdirSync(dir, { recursive: true })
  const copy = (name: string, dir: string) =>
    copyFileSync(path.join(FIXTURES, name), path.join(dir, name))
  for (const name of ['kde_ColorfulCups.jpg', 'kde_FallenLeaf.jpg', 'kde_Kite.jpg']) copy(name, a)
  for (const name of ['mate_LadyBird.jpg', 'mate_Storm.jpg', 'skimage_astronaut.png']) copy(name, b)
  // A byte copy in another folder: an exact duplicate for the duplicates job to find.
  copyFileSync(path.join(FIXTURES, 'kde_Kite.jpg'), path.join(b, 'kite-copy.jpg'))
  for (const name of ['mate_Dune.jpg', 'skimage_chelsea.png', 'skimage_coffee.png']) copy(name, c)
  const base = sharp(path.join(FIXTURES, 'lomiri_life_by_Aitzol_Berasategi.jpg')).resize(640)
  await base
    .clone()
    .withExif(gpsExif([48, 51, 29.64], [2, 17, 40.2]))
    .jpeg()
    .toFile(path.join(a, 'paris.jpg'))
  await base
    .clone()
    .flop()
    .withExif(gpsExif([35, 39, 31.0], [139, 44, 43.5]))
    .jpeg()
    .toFile(path.join(a, 'tokyo.jpg'))
  await sharp(path.join(FIXTURES, 'skimage_coffee.png')).jpeg().toFile(path.join(a, 'rot.jpg'))
  writeFileSync(path.join(a, 'empty.jpg'), '')
  return { a, b, c }
}

/** Bit rot: the bytes after the header turn to garbage; size and mtime stay as they were. */
function rot(file: string): void {
  const before = statSync(file)
  const bytes = readFileSync(file)
  bytes.fill(0xff, 700)
  writeFileSync(file, bytes)
  // Seconds as a number keep the sub-millisecond part a Date would round away.
  utimesSync(file, before.atimeMs / 1000, before.mtimeMs / 1000)
}

describe('health end to end', () => {
  it('finds exactly the deliberate gaps, plans the jobs that close them, and reports 100% after', async () => {
    const dir = tempDir()
    const root = path.join(dir, 'library')
    const { a, b, c } = await buildLibrary(root)
    const engine = await openEngine(path.join(dir, 'catalog.sqlite'), { workerCount: 1 })
    engines.push(engine)
    const db = engine.catalog.db
    const idOf = (file: string) =>
      (db.prepare('SELECT id FROM photos WHERE path = ?').get(file) as { id: number }).id

    expect((await run(engine, { kind: 'import', root })).state).toBe('completed')
    rot(path.join(a, 'rot.jpg'))
    expect((await run(engine, { kind: 'analyze', folder: a })).failed).toBe(1)
    expect((await run(engine, { kind: 'analyze', folder: b })).failed).toBe(0)

    // The gaps.
    for (const name of ['mate_LadyBird.jpg', 'mate_Storm.jpg']) {
      const rel = (
        db
          .prepare('SELECT path FROM thumbnails WHERE photo_id = ? AND size = 1024')
          .get(idOf(path.join(b, name))) as { path: string }
      ).path
      rmSync(path.join(engine.catalog.paths.cacheDir, rel))
    }
    const repair = new RepairRepository(db)
    repair.setGeohash(idOf(path.join(a, 'paris.jpg')), null)
    repair.setGeohash(idOf(path.join(a, 'tokyo.jpg')), geohashOf(-33.8568, 151.2153))
    mkdirSync(path.join(a, 'moved'))
    renameSync(path.join(a, 'kde_FallenLeaf.jpg'), path.join(a, 'moved', 'leaf.jpg'))
    rmSync(path.join(b, 'skimage_astronaut.png'))

    const health = createHealthCore(engine)
    const { report, plan } = await health.plan()
    const cov = (d: string) => report.coverage.find((x) => x.datum === d)
    const reasons = (d: string) =>
      Object.fromEntries((cov(d)?.missingBy ?? []).map((m) => [m.reason, m.count]))
    // 13 photos: 6 in a (empty.jpg was refused), 4 in b, 3 in c.
    expect(report.totals).toMatchObject({
      photos: 13,
      present: 13,
      vanished: 0,
      folders: 3,
      notImported: 1,
    })
    expect(cov('thumbnails')).toMatchObject({ have: 7, missing: 6 })
    expect(reasons('thumbnails')).toEqual({ never_processed: 3, file_missing: 2, corrupt: 1 })
    expect(cov('hashes')).toMatchObject({ have: 9, missing: 4 })
    expect(reasons('hashes')).toEqual({ never_processed: 3, corrupt: 1 })
    expect(reasons('quality')).toEqual({ never_processed: 3, corrupt: 1 })
    expect(cov('geohash')).toMatchObject({ eligible: 3, have: 1, missing: 2 })
    expect(reasons('geohash')).toEqual({ never_processed: 1, mismatch: 1 })
    const check = (id: string) => report.consistency.find((x) => x.check === id)
    expect(check('thumbnail-file-missing')?.count).toBe(2)
    expect(check('gps-without-geohash')?.count).toBe(1)
    expect(check('geohash-mismatch')).toMatchObject({
      count: 1,
      examples: [path.join(a, 'tokyo.jpg')],
    })
    // Moved and deleted originals are not known until verify looks: the report says so.
    expect(check('original-vanished')?.count).toBe(0)
    expect(check('original-changed')).toMatchObject({ available: false })
    expect(report.verify).toEqual({ last: null, notVerifiedSince: 13 })
    expect(report.problems.map((p) => [p.stage, p.code, p.count])).toEqual([
      ['analyze', 'corrupt', 1],
      ['import', 'empty', 1],
    ])
    expect(report.pending.analyze).toBe(5)

    expect(plan.steps.map((s) => [s.kind, s.items])).toEqual([
      ['verify', 13],
      ['geohash', 2],
      ['analyze', 5],
      ['duplicates', 12],
      ['bursts', 12],
    ])
    expect(
      plan.steps.every(
        (s) => s.estimate.source === (s.kind === 'analyze' ? 'measured' : 'default'),
      ),
    ).toBe(true)
    expect(plan.expected.find((e) => e.datum === 'thumbnails')?.remaining).toEqual([
      { reason: 'corrupt', count: 1, examples: [path.join(a, 'rot.jpg')] },
    ])

    // Run the plan, one job after another, as `vam plan --run` does.
    const queued = await health.runPlan({})
    expect(queued.jobIds).toHaveLength(5)
    const jobs = []
    for (const id of queued.jobIds) jobs.push(await engine.jobs.waitFor(id))
    expect(jobs.map((j) => [j.kind, j.state])).toEqual([
      ['verify', 'completed'],
      ['geohash', 'completed'],
      ['analyze', 'completed'],
      ['duplicates', 'completed'],
      ['bursts', 'completed'],
    ])
    // Each waited for the one before it.
    expect(jobs.slice(1).map((j) => j.dependsOn)).toEqual(jobs.slice(0, -1).map((j) => [j.id]))

    const after = await health.plan()
    const afterCov = (d: string) => after.report.coverage.find((x) => x.datum === d)
    // Everything is covered except the photo whose bytes rotted, and that is said.
    for (const d of ['thumbnails', 'hashes', 'quality']) {
      expect(afterCov(d)).toMatchObject({ have: 12, missing: 1 })
      expect(afterCov(d)?.missingBy.map((m) => m.reason)).toEqual(['corrupt'])
    }
    expect(afterCov('geohash')).toMatchObject({ have: 3, missing: 0, percent: 100 })
    expect(after.report.verify.last).toMatchObject({
      checked: 13,
      vanished: 1,
      relinked: 1,
      changed: 0,
    })
    expect(after.report.totals).toMatchObject({ photos: 13, present: 12, vanished: 1 })
    expect(
      db
        .prepare('SELECT path FROM photos WHERE id = ?')
        .get(idOf(path.join(a, 'moved', 'leaf.jpg'))),
    ).toBeTruthy()
    expect(after.report.consistency.find((x) => x.check === 'original-vanished')).toMatchObject({
      count: 1,
      examples: [path.join(b, 'skimage_astronaut.png')],
    })
    expect(
      after.report.consistency
        .filter((x) => x.check !== 'original-vanished')
        .every((x) => x.count === 0),
    ).toBe(true)
    // The byte copy is found: one exact group of two, waiting for review; the same from folder b.
    expect(after.report.duplicates).toMatchObject({
      groups: 1,
      unresolved: 1,
      photos: 2,
      stale: false,
    })
    expect(after.report.duplicates.bytesReclaimable).toBeGreaterThan(0)
    expect((await health.report(b)).duplicates).toMatchObject({
      groups: 1,
      unresolved: 1,
      photos: 2,
    })
    expect((await health.report(c)).duplicates).toMatchObject({
      groups: 0,
      unresolved: 0,
      photos: 0,
    })
    expect(after.report.bursts.lastRunAt).not.toBeNull()
    expect(after.plan.steps).toEqual([])
    expect(after.plan.notes.join(' ')).toContain('corrupt file (analyze): 1')
    expect(after.plan.notes.join(' ')).toContain('1 original vanished')

    const md = await health.markdown()
    expect(md).toContain('Nothing to run: no job would change anything now.')
    expect(md).toContain('- **Thumbnails:** 92.3% — 12 of 13; 1 missing: corrupt 1')
    expect(md).toContain('| analyze | corrupt file | 1 | no |')
  })
})
