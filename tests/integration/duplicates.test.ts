import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEngine, type Engine } from '../../src/core/engine'
import { createVamService } from '../../src/core/service'
import { reviewCounts } from '../../src/core/health/review-counts'
import type { VamImpl } from '../../src/shared/contract'
import type { DuplicateGroupDto } from '../../src/shared/contract/review'
import type { JobParams } from '../../src/shared/jobs'
import { FIXTURES, writeBurst, writeExtremes, writeVariantSet } from '../helpers/dupe-library'

/**
 * The whole feature on real photos: fixtures and variants generated with sharp, the real import,
 * analyze, bursts and duplicates jobs, resolution into the quarantine folder and undo. One library
 * is built once; tests run in order and every test that changes it undoes its change.
 */

const REPO = path.join(import.meta.dirname, '..', '..')
const SETS = [
  ['kde_ColorfulCups.jpg', 'cups'],
  ['mate_Dune.jpg', 'dune'],
  ['skimage_chelsea.png', 'chelsea'],
  ['mate_Storm.jpg', 'storm'],
] as const
const EXTREMES = [
  ['kde_Kite.jpg', 'kite'],
  ['lomiri_life_by_Aitzol_Berasategi.jpg', 'life'],
  ['mate_LadyBird.jpg', 'ladybird'],
  ['skimage_coffee.png', 'coffee'],
] as const

let dir: string
let root: string
let catalogFile: string
let engine: Engine
let api: VamImpl
const sets = new Map<string, string[]>()
const extremes: string[] = []
let burstFrames: string[] = []
let hardA = ''
let hardB = ''

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

async function run(params: JobParams) {
  const job = await engine.jobs.waitFor(engine.jobs.start(params).id)
  expect(job.state, `${params.kind}: ${job.error}`).toBe('completed')
  return job
}

function idOf(file: string): number {
  const row = engine.catalog.db.prepare('SELECT id FROM photos WHERE path = ?').get(file) as
    { id: number } | undefined
  if (!row) throw new Error(`not imported: ${file}`)
  return row.id
}

async function openGroups(): Promise<DuplicateGroupDto[]> {
  const page = await api.review.duplicateGroups({ status: 'open', limit: 1000 })
  return Promise.all(
    page.items.map(
      async (g) => (await api.review.duplicateGroup({ id: g.id })) as DuplicateGroupDto,
    ),
  )
}

/** The open group containing a file, or undefined. */
async function groupOf(file: string): Promise<DuplicateGroupDto | undefined> {
  const id = idOf(file)
  return (await openGroups()).find((g) => g.members.some((m) => m.photoId === id))
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vam-dupes-'))
  root = path.join(dir, 'library')
  for (const [fixture, stem] of SETS) {
    sets.set(stem, await writeVariantSet(fixture, path.join(root, 'sets', stem), stem))
  }
  for (const [fixture, stem] of EXTREMES) {
    extremes.push(...(await writeExtremes(fixture, path.join(root, 'extremes'), stem)))
  }
  burstFrames = await writeBurst('kde_FallenLeaf.jpg', path.join(root, 'burst'), 'leaf')
  // The same file at two paths (a hard link): an exact group whose "duplicate" must never go.
  mkdirSync(path.join(root, 'linked', 'a'), { recursive: true })
  mkdirSync(path.join(root, 'linked', 'b'), { recursive: true })
  hardA = path.join(root, 'linked', 'a', 'bridge.jpg')
  hardB = path.join(root, 'linked', 'b', 'bridge.jpg')
  await sharp(path.join(FIXTURES, 'lomiri_Bridge_by_Sander_Klootwijk.jpg'))
    .resize(800)
    .toFile(hardA)
  linkSync(hardA, hardB)

  catalogFile = path.join(dir, 'catalog.sqlite')
  engine = await openEngine(catalogFile, { workerCount: 1 })
  api = createVamService(engine)
  await run({ kind: 'import', root })
  await run({ kind: 'analyze' })
  await run({ kind: 'bursts' })
  await run({ kind: 'duplicates' })
}, 240_000)

afterAll(async () => {
  await engine?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('duplicates and bursts on real photos', () => {
  it('puts each variant set in exactly one group, and nothing else in it', async () => {
    for (const [stem, files] of sets) {
      const group = await groupOf(files[0] as string)
      expect(group, stem).toBeDefined()
      const ids = files.map(idOf).sort((a, b) => a - b)
      expect(
        group?.members.map((m) => m.photoId).sort((a, b) => a - b),
        stem,
      ).toEqual(ids)
      expect(group?.kind).toBe('near')
    }
    // Every photo at most once, across all open groups.
    const all = (await openGroups()).flatMap((g) => g.members.map((m) => m.photoId))
    expect(new Set(all).size).toBe(all.length)
  })

  it('explains every member: distances per hash to the keeper, and the rule that matched', async () => {
    const group = (await groupOf(sets.get('cups')?.[0] as string)) as DuplicateGroupDto
    const keeper = group.members.filter((m) => m.match === 'keeper')
    expect(keeper).toHaveLength(1)
    expect(keeper[0]?.photoId).toBe(group.representative)
    // Lossless beats JPEG in best-copy order.
    expect(keeper[0]?.format).toBe('png')
    expect(group.keeperReason).toMatch(/lossless/)
    for (const m of group.members.filter((x) => x.match !== 'keeper')) {
      expect(m.distance).not.toBeNull()
      expect(m.distance?.ahash).toBeLessThanOrEqual(5)
      expect(m.distance?.dhash).toBeLessThanOrEqual(5)
      expect(m.reason.length).toBeGreaterThan(10)
      expect(m.keep).toBe(false)
    }
    const copy = group.members.find((m) => m.path.endsWith('cups-copy.jpg'))
    const original = group.members.find((m) => m.path.endsWith('cups-original.jpg'))
    expect(copy?.checksum).toBe(original?.checksum)
    expect(copy?.reason).toMatch(new RegExp(`byte-identical to #${original?.photoId}`))
  })

  it('never groups over-exposed or near-black photos of different scenes', async () => {
    for (const file of extremes) expect(await groupOf(file), path.basename(file)).toBeUndefined()
    const dark = extremes.filter((f) => f.endsWith('-dark.jpg')).map(idOf)
    const flags = engine.catalog.db
      .prepare(`SELECT low_information FROM hashes WHERE photo_id IN (${dark.join(',')})`)
      .pluck()
      .all()
    // The near-black copies are recognised as low-information (the stricter rule applied).
    expect(flags).toEqual(dark.map(() => 1))
  })

  it('finds the burst, picks a best frame, and keeps its frames out of duplicate groups', async () => {
    const page = await api.review.bursts({ status: 'open' })
    expect(page.total).toBe(1)
    const burst = await api.review.burst({ id: page.items[0]?.id as number })
    expect(burst?.members.map((m) => m.photoId)).toEqual(burstFrames.map(idOf))
    expect(burst?.camera).toBe('BurstCam B-1')
    expect(burst?.members.filter((m) => m.best)).toHaveLength(1)
    for (const frame of burstFrames) expect(await groupOf(frame)).toBeUndefined()
  })

  it('records the same file at two paths as an exact group, and never removes either', async () => {
    const group = (await groupOf(hardA)) as DuplicateGroupDto
    expect(group.kind).toBe('exact')
    expect(group.members.map((m) => m.photoId).sort()).toEqual([idOf(hardA), idOf(hardB)].sort())
    const result = await api.review.resolveDuplicates({
      ids: [group.id],
      keep: idOf(hardA),
      confirm: true,
    })
    expect(result.moved).toEqual([])
    expect(result.summary.skipped).toEqual([
      expect.objectContaining({ path: hardB, reason: expect.stringMatching(/same file/) }),
    ])
    expect(existsSync(hardA) && existsSync(hardB)).toBe(true)
    await api.review.undo({})
  })

  it('bulk resolve shows a summary and changes nothing without confirmation', async () => {
    const before = (await openGroups()).length
    const result = await api.review.resolveDuplicates({ all: true, confirm: false })
    expect(result.applied).toBe(false)
    expect(result.summary.groups).toBe(4)
    expect(result.summary.files).toBe(4 * 7)
    expect(result.summary.bytes).toBeGreaterThan(1_000_000)
    expect(result.decisionId).toBeNull()
    expect((await openGroups()).length).toBe(before)
    for (const files of sets.values()) for (const f of files) expect(existsSync(f)).toBe(true)
  })

  it('resolve → files in quarantine (after a verified backup) → undo → files back byte-identical', async () => {
    const files = sets.get('dune') as string[]
    const hashes = new Map(files.map((f) => [f, sha(f)]))
    const group = (await groupOf(files[0] as string)) as DuplicateGroupDto
    const keep = idOf(files[0] as string)
    const backupsBefore = (await api.catalog.backups({})).length
    const result = await api.review.resolveDuplicates({ ids: [group.id], keep, confirm: true })
    expect(result.applied).toBe(true)
    expect(result.moved).toHaveLength(files.length - 1)
    expect((await api.catalog.backups({})).length).toBeGreaterThan(backupsBefore)
    for (const m of result.moved) {
      expect(existsSync(m.from)).toBe(false)
      expect(m.to?.startsWith(engine.catalog.paths.quarantineDir)).toBe(true)
      // The original folder structure is preserved under the quarantine folder.
      expect(m.to?.endsWith(m.from)).toBe(true)
      expect(sha(m.to as string)).toBe(hashes.get(m.from))
    }
    expect(existsSync(files[0] as string)).toBe(true)
    const resolved = await api.review.duplicateGroup({ id: group.id })
    expect(resolved?.status).toBe('resolved')
    expect(resolved?.members.filter((m) => m.missing)).toHaveLength(files.length - 1)
    expect(reviewCounts(engine.catalog.db).duplicates.unresolved).toBe(4)
    // A re-run does not bring the resolved group back.
    await run({ kind: 'duplicates' })
    expect(await groupOf(files[0] as string)).toBeUndefined()

    const undo = await api.review.undo({ decisionId: result.decisionId as number })
    expect(undo.manual).toEqual([])
    expect(undo.restored).toHaveLength(files.length - 1)
    for (const f of files) expect(sha(f)).toBe(hashes.get(f))
    for (const m of result.moved) expect(existsSync(m.to as string)).toBe(false)
    const reopened = await api.review.duplicateGroup({ id: group.id })
    expect(reopened?.status).toBe('open')
    expect(reopened?.members.some((m) => m.missing)).toBe(false)
    expect((await api.review.decisions({})).find((d) => d.id === result.decisionId)?.state).toBe(
      'undone',
    )
  })

  it('"not duplicates" persists across a re-run, until undone', async () => {
    await run({ kind: 'duplicates' })
    const files = sets.get('storm') as string[]
    const group = (await groupOf(files[0] as string)) as DuplicateGroupDto
    const decision = await api.review.dismissDuplicates({ groupId: group.id })
    expect((await api.review.duplicateGroup({ id: group.id }))?.status).toBe('dismissed')
    await run({ kind: 'duplicates' })
    for (const f of files) expect(await groupOf(f)).toBeUndefined()
    await api.review.undo({ decisionId: decision.id })
    // Reopened at once (no re-run needed), and still one open group per photo.
    expect((await groupOf(files[0] as string))?.id).toBe(group.id)
    const all = (await openGroups()).flatMap((g) => g.members.map((m) => m.photoId))
    expect(new Set(all).size).toBe(all.length)
    await run({ kind: 'duplicates' })
    expect((await groupOf(files[0] as string))?.members).toHaveLength(files.length)
  })

  it('never removes the last copy: a group whose keeper vanished from disk is skipped', async () => {
    const files = sets.get('chelsea') as string[]
    const group = (await groupOf(files[0] as string)) as DuplicateGroupDto
    const keeper = files[0] as string
    const aside = `${keeper}.aside`
    copyFileSync(keeper, aside)
    rmSync(keeper)
    try {
      const result = await api.review.resolveDuplicates({
        ids: [group.id],
        keep: idOf(keeper),
        confirm: true,
      })
      expect(result.moved).toEqual([])
      expect(result.decisionId).toBeNull()
      expect(result.summary.skipped.length).toBe(files.length - 1)
      expect(result.summary.skipped[0]?.reason).toMatch(/kept copy is not on disk/)
      for (const f of files.slice(1)) expect(existsSync(f)).toBe(true)
    } finally {
      copyFileSync(aside, keeper)
      rmSync(aside)
    }
    expect((await api.review.duplicateGroup({ id: group.id }))?.status).toBe('open')
  })

  it('grid filters and the info panel know about groups and bursts', async () => {
    const inGroups = await api.photos.page({ filter: { duplicates: true }, offset: 0, limit: 1000 })
    const grouped = (await openGroups()).flatMap((g) => g.members.map((m) => m.photoId))
    expect(inGroups.items.map((p) => p.id).sort()).toEqual([...grouped].sort())
    const inBursts = await api.photos.page({ filter: { bursts: true }, offset: 0, limit: 1000 })
    expect(inBursts.items.map((p) => p.id).sort()).toEqual(burstFrames.map(idOf).sort())
    const notGrouped = await api.photos.page({
      filter: { duplicates: false },
      offset: 0,
      limit: 1000,
    })
    expect(notGrouped.total + inGroups.total).toBe((await api.catalog.info({})).photoCount)
    const detail = await api.photos.get({ id: idOf(sets.get('cups')?.[0] as string) })
    expect(detail?.extra.duplicates).toEqual([expect.objectContaining({ status: 'open' })])
    const frame = await api.photos.get({ id: idOf(burstFrames[0] as string) })
    expect(frame?.extra.bursts).toEqual([expect.objectContaining({ status: 'open' })])
  })

  it('bursts: keep the best frame, move the rest, undo; "not a burst" persists', async () => {
    const page = await api.review.bursts({ status: 'open' })
    const burstId = page.items[0]?.id as number
    const burst = await api.review.burst({ id: burstId })
    const other = burst?.members.find((m) => !m.best)?.photoId as number
    await api.review.setBurstBest({ burstId, photoId: other })
    const hashes = new Map(burstFrames.map((f) => [f, sha(f)]))
    const result = await api.review.resolveBursts({ ids: [burstId], confirm: true })
    expect(result.moved).toHaveLength(3)
    const kept = burstFrames.filter((f) => existsSync(f))
    expect(kept.map(idOf)).toEqual([other])
    await api.review.undo({ decisionId: result.decisionId as number })
    for (const f of burstFrames) expect(sha(f)).toBe(hashes.get(f))

    const dismissed = await api.review.dismissBurst({ burstId })
    await run({ kind: 'bursts' })
    expect((await api.review.bursts({ status: 'open' })).total).toBe(0)
    await api.review.undo({ decisionId: dismissed.id })
    expect((await api.review.burst({ id: burstId }))?.status).toBe('open')
  })

  it('bursts are incremental: a new frame extends the burst, other windows are untouched', async () => {
    const fifth = path.join(root, 'burst', 'leaf-frame5.jpg')
    await sharp(burstFrames[3] as string)
      .withExif({
        IFD0: { Make: 'BurstCam', Model: 'B-1' },
        IFD2: { DateTimeOriginal: '2020:05:17 09:30:14' },
      })
      .jpeg({ quality: 90 })
      .toFile(fifth)
    await run({ kind: 'import', root })
    const job = await run({ kind: 'bursts' })
    const log = engine.jobs
      .log(job.id)
      .map((l) => l.message)
      .join('\n')
    expect(log).toMatch(/incremental: 1 changed photos, 1 time windows/)
    const page = await api.review.bursts({ status: 'open' })
    expect(page.total).toBe(1)
    const burst = await api.review.burst({ id: page.items[0]?.id as number })
    expect(burst?.members.map((m) => m.photoId)).toEqual([...burstFrames, fifth].map(idOf))
  })

  it('CLI: `vam dupes --json` has the documented shape; `--all` without --yes changes nothing', () => {
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli/index.ts', '--catalog', catalogFile, ...args],
        {
          cwd: REPO,
          encoding: 'utf8',
          env: { ...process.env, NODE_OPTIONS: '' },
        },
      )
    const listed = cli('dupes', '--json')
    expect(listed.status, listed.stderr).toBe(0)
    const json = JSON.parse(listed.stdout) as {
      groups: { id: number; kind: string; members: Record<string, unknown>[] }[]
    }
    expect(json.groups.length).toBeGreaterThanOrEqual(5)
    for (const g of json.groups) {
      expect(['exact', 'near']).toContain(g.kind)
      for (const m of g.members) {
        expect(Object.keys(m).sort()).toEqual(['distance', 'id', 'keep', 'path', 'reason'])
        if (g.kind === 'near')
          expect(Object.keys(m.distance as object).sort()).toEqual([
            'ahash',
            'dhash',
            'phash',
            'whash',
          ])
      }
      expect(g.members.filter((m) => m.keep)).toHaveLength(1)
    }
    const bulk = cli('dupes', 'resolve', '--all')
    expect(bulk.status).toBe(1)
    expect(bulk.stderr).toMatch(/--yes/)
    expect(bulk.stdout).toMatch(/would move/)
    for (const files of sets.values()) for (const f of files) expect(existsSync(f)).toBe(true)
    const bursts = cli('bursts', '--json')
    expect(bursts.status, bursts.stderr).toBe(0)
    const b = JSON.parse(bursts.stdout) as {
      bursts: {
        id: number
        best: { id: number; path: string }
        members: { id: number; path: string; takenAt: string; score: number }[]
      }[]
    }
    expect(b.bursts).toHaveLength(1)
    expect(Object.keys(b.bursts[0]?.members[0] ?? {}).sort()).toEqual([
      'id',
      'path',
      'score',
      'takenAt',
    ])
  })
})
