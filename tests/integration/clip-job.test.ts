import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { openEngine, type Engine } from '../../src/core/engine'
import { createVamService } from '../../src/core/service'
import { JobRepository } from '../../src/core/catalog/repositories/job.repository'
import { EmbeddingRepository } from '../../src/core/catalog/repositories/embedding.repository'
import type { VamImpl } from '../../src/shared/contract'
import type { JobDto } from '../../src/shared/jobs'
import { writeTinyClip } from '../helpers/clip-tiny'
import { insertPhotoRow } from '../helpers/photo-rows'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'photos')
const REAL = [
  'kde_ColorfulCups.jpg',
  'mate_Dune.jpg',
  'skimage_coffee.png',
  'skimage_astronaut.png',
]
const COLOURS: Record<string, [number, number, number]> = {
  red: [255, 0, 0],
  green: [0, 255, 0],
  blue: [0, 0, 255],
}

const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

interface Library {
  readonly dir: string
  readonly catalog: string
  readonly modelA: string
  readonly modelB: string
  readonly photoCount: number
}

/** Real fixture photos, solid-colour images (known answers for the tiny model) and a broken JPEG. */
async function makeLibrary(): Promise<Library> {
  const dir = tempDir()
  const photos = path.join(dir, 'photos')
  mkdirSync(path.join(photos, 'real'), { recursive: true })
  mkdirSync(path.join(photos, 'colours'), { recursive: true })
  for (const name of REAL) copyFileSync(path.join(FIXTURES, name), path.join(photos, 'real', name))
  for (const [name, [r, g, b]] of Object.entries(COLOURS)) {
    await sharp({ create: { width: 320, height: 200, channels: 3, background: { r, g, b } } })
      .jpeg({ quality: 95 })
      .toFile(path.join(photos, 'colours', `${name}.jpg`))
  }
  const modelA = path.join(dir, 'model-a')
  const modelB = path.join(dir, 'model-b')
  writeTinyClip(modelA)
  writeTinyClip(modelB, { seed: 2, name: 'clip-tiny-b' })
  return {
    dir,
    catalog: path.join(dir, 'catalog.sqlite'),
    modelA,
    modelB,
    photoCount: REAL.length + 3,
  }
}

async function open(lib: Library): Promise<{ engine: Engine; api: VamImpl }> {
  const engine = await openEngine(lib.catalog, { workerCount: 1 })
  engines.push(engine)
  return { engine, api: createVamService(engine) }
}

async function run(
  engine: Engine,
  params: Parameters<Engine['jobs']['start']>[0],
): Promise<JobDto> {
  return engine.jobs.waitFor(engine.jobs.start(params).id)
}

function idOf(engine: Engine, name: string): number {
  return engine.catalog.db
    .prepare('SELECT id FROM photos WHERE name = ?')
    .pluck()
    .get(name) as number
}

function vectorsOf(engine: Engine, modelId: string): Map<number, Float32Array> {
  const repo = new EmbeddingRepository(engine.catalog.db)
  const out = new Map<number, Float32Array>()
  for (const row of repo.iterate(modelId))
    out.set(
      row.photo_id,
      new Float32Array(
        row.vector.buffer.slice(
          row.vector.byteOffset,
          row.vector.byteOffset + row.vector.byteLength,
        ),
      ),
    )
  return out
}

function logOf(engine: Engine, jobId: number): string {
  return engine.jobs
    .log(jobId, 0, 1000)
    .map((l) => l.message)
    .join('\n')
}

describe('the clip job', () => {
  it('fails clearly when no model is set', async () => {
    const lib = await makeLibrary()
    const { engine, api } = await open(lib)
    const job = await run(engine, { kind: 'clip' })
    expect(job.state).toBe('failed')
    expect(job.error).toBe('no CLIP model set: vam model set DIR')
    expect(await api.search.model({})).toBeNull()
    await expect(api.search.text({ query: 'dog' })).rejects.toThrow(
      'no CLIP model set: vam model set DIR',
    )
  })

  it('embeds real photos in the worker pool, stores unit vectors and tags, and searches them', async () => {
    const lib = await makeLibrary()
    const { engine, api } = await open(lib)
    expect((await run(engine, { kind: 'import', root: path.join(lib.dir, 'photos') })).state).toBe(
      'completed',
    )
    const info = await api.search.setModel({ dir: lib.modelA })
    expect(info).toMatchObject({
      name: 'clip-tiny',
      dim: 8,
      embedded: 0,
      photos: lib.photoCount,
      stale: 0,
    })

    const job = await run(engine, { kind: 'clip' })
    expect(job).toMatchObject({
      state: 'completed',
      done: lib.photoCount,
      failed: 0,
      total: lib.photoCount,
    })
    expect(logOf(engine, job.id)).toMatch(/embedded 7 \(0 from previews, 7 from originals\)/)
    const vectors = vectorsOf(engine, info.modelId)
    expect(vectors.size).toBe(lib.photoCount)
    for (const v of vectors.values()) {
      expect(v).toHaveLength(8)
      expect(v.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 5)
    }
    expect((await api.search.model({}))?.embedded).toBe(lib.photoCount)

    // Text search: each colour word finds its image first (channel order and normalisation are right).
    for (const colour of Object.keys(COLOURS)) {
      const result = await api.search.text({ query: `a photo of ${colour}`, limit: 3 })
      expect(result.hits[0]?.photo.name).toBe(`${colour}.jpg`)
      expect(result.hits[0]?.score).toBeGreaterThan(0.8)
      expect(result.candidates).toBe(lib.photoCount)
      expect(result.modelId).toBe(info.modelId)
    }

    // Combined with grid filters: only the filter's photos are ranked.
    const real = await api.search.text({
      query: 'red',
      filter: { folder: path.join(lib.dir, 'photos', 'real') },
    })
    expect(real.candidates).toBe(REAL.length)
    expect(real.hits.map((h) => h.photo.name).sort()).toEqual([...REAL].sort())
    const byName = await api.search.text({ query: 'red', filter: { text: 'blue' } })
    expect(byName.hits.map((h) => h.photo.name)).toEqual(['blue.jpg'])

    // More like this: the photo itself is left out; the other solid colours come first.
    const similar = await api.search.similar({ photoId: idOf(engine, 'red.jpg'), limit: 10 })
    expect(similar.hits.map((h) => h.photo.name)).not.toContain('red.jpg')
    expect(similar.hits).toHaveLength(lib.photoCount - 1)
    expect(similar.encodeMs).toBe(0)
    await expect(api.search.similar({ photoId: 9999 })).rejects.toThrow(
      /photo 9999 has no clip-tiny vector yet/,
    )

    // Zero-shot tags were stored with the vectors; the grid filters by them.
    const tags = await api.search.tags({})
    expect(tags.modelId).toBe(info.modelId)
    const [top] = tags.counts
    expect(top?.count).toBeGreaterThan(0)
    const page = await api.photos.page({ filter: { tag: top?.tag }, offset: 0, limit: 100 })
    expect(page.total).toBe(top?.count)
    const detail = await api.photos.get({ id: page.items[0]?.id as number })
    expect(detail?.extra.clip).toMatchObject({ modelId: info.modelId, hasEmbedding: true })
    expect((detail?.extra.clip as { tags: { tag: string }[] }).tags.map((t) => t.tag)).toContain(
      top?.tag,
    )

    // Incremental: a second run has nothing to do.
    const again = await run(engine, { kind: 'clip' })
    expect(again).toMatchObject({ state: 'completed', done: 0, skipped: lib.photoCount, failed: 0 })
  })

  it('records per-item errors and carries on', async () => {
    const lib = await makeLibrary()
    const { engine, api } = await open(lib)
    await run(engine, { kind: 'import', root: path.join(lib.dir, 'photos') })
    // A photo whose file was damaged after import, and one that vanished.
    const broken = path.join(lib.dir, 'photos', 'broken.jpg')
    const jpeg = readFileSync(path.join(lib.dir, 'photos', 'colours', 'red.jpg'))
    writeFileSync(broken, Buffer.concat([jpeg.subarray(0, 20), Buffer.alloc(400, 0x55)]))
    insertPhotoRow(engine.catalog.db, broken, { format: 'jpeg' })
    const gone = path.join(lib.dir, 'photos', 'gone.jpg')
    copyFileSync(path.join(lib.dir, 'photos', 'colours', 'green.jpg'), gone)
    insertPhotoRow(engine.catalog.db, gone, { format: 'jpeg' })
    rmSync(gone)
    await api.search.setModel({ dir: lib.modelA })

    const job = await run(engine, { kind: 'clip' })
    expect(job).toMatchObject({ state: 'completed', done: lib.photoCount, failed: 2 })
    const errors = engine.catalog.db
      .prepare(`SELECT path, code FROM item_errors WHERE stage = 'clip' ORDER BY path`)
      .all() as { path: string; code: string }[]
    expect(errors).toEqual([
      { path: broken, code: 'corrupt' },
      { path: gone, code: 'vanished' },
    ])
    // Fixed files are picked up by the next run and their errors cleared.
    copyFileSync(path.join(lib.dir, 'photos', 'colours', 'green.jpg'), broken)
    const retry = await run(engine, { kind: 'clip' })
    expect(retry).toMatchObject({ done: 1, failed: 1 })
    const left = engine.catalog.db
      .prepare(`SELECT path FROM item_errors WHERE stage = 'clip'`)
      .pluck()
      .all()
    expect(left).toEqual([gone])
  })

  it('isolates a photo that crashes its worker: the batch is retried photo by photo', async () => {
    const lib = await makeLibrary()
    process.env.VAM_FAULT_EXIT_ON = 'green.jpg'
    try {
      const { engine, api } = await open(lib)
      await run(engine, { kind: 'import', root: path.join(lib.dir, 'photos') })
      await api.search.setModel({ dir: lib.modelA })
      const job = await run(engine, { kind: 'clip' })
      expect(job).toMatchObject({ state: 'completed', done: lib.photoCount - 1, failed: 1 })
      const errors = engine.catalog.db
        .prepare(`SELECT path, code FROM item_errors WHERE stage = 'clip'`)
        .all()
      expect(errors).toEqual([
        { path: path.join(lib.dir, 'photos', 'colours', 'green.jpg'), code: 'worker_crash' },
      ])
    } finally {
      delete process.env.VAM_FAULT_EXIT_ON
    }
  })

  it('keeps each model’s vectors apart: a new model starts empty, the old vectors stay stale, switching back needs no work', async () => {
    const lib = await makeLibrary()
    const { engine, api } = await open(lib)
    await run(engine, { kind: 'import', root: path.join(lib.dir, 'photos') })
    const a = await api.search.setModel({ dir: lib.modelA })
    await run(engine, { kind: 'clip' })

    const b = await api.search.setModel({ dir: lib.modelB })
    expect(b.modelId).not.toBe(a.modelId)
    expect(b).toMatchObject({ embedded: 0, stale: lib.photoCount })
    const before = await api.search.text({ query: 'red' })
    expect(before).toMatchObject({ modelId: b.modelId, candidates: 0, hits: [] })
    expect(engine.settings.getAll().clipModelDir).toBe(lib.modelB)

    const job = await run(engine, { kind: 'clip' })
    expect(job.done).toBe(lib.photoCount)
    const va = vectorsOf(engine, a.modelId)
    const vb = vectorsOf(engine, b.modelId)
    expect(va.size).toBe(lib.photoCount)
    expect(vb.size).toBe(lib.photoCount)
    // Different weights → different vectors for the same photo: spaces really are separate.
    const id = idOf(engine, 'kde_ColorfulCups.jpg')
    expect(Array.from(vb.get(id) as Float32Array)).not.toEqual(
      Array.from(va.get(id) as Float32Array),
    )
    const withB = await api.search.text({ query: 'red' })
    expect(withB).toMatchObject({ modelId: b.modelId, candidates: lib.photoCount })

    const backToA = await api.search.setModel({ dir: lib.modelA })
    expect(backToA).toMatchObject({
      modelId: a.modelId,
      embedded: lib.photoCount,
      stale: lib.photoCount,
    })
    const noWork = await run(engine, { kind: 'clip' })
    expect(noWork).toMatchObject({ done: 0, skipped: lib.photoCount })
  })

  it('picks the model up from the setting and re-validates a folder whose files changed', async () => {
    const lib = await makeLibrary()
    const { engine, api } = await open(lib)
    await run(engine, { kind: 'import', root: path.join(lib.dir, 'photos', 'colours') })
    // Set from the Settings page (the setting only): the job validates and registers it.
    engine.settings.update({ clipModelDir: lib.modelA })
    expect((await run(engine, { kind: 'clip' })).done).toBe(3)
    const first = (await api.search.model({}))?.modelId
    // The user replaces the weights in place: a new model id, so the old vectors are not reused.
    writeTinyClip(lib.modelA, { seed: 3 })
    const second = (await api.search.model({}))?.modelId
    expect(second).not.toBe(first)
    expect((await api.search.model({}))?.embedded).toBe(0)
  })

  it('resumes after its last checkpoint: photos up to the cursor are not redone', async () => {
    const lib = await makeLibrary()
    const { engine, api } = await open(lib)
    await run(engine, { kind: 'import', root: path.join(lib.dir, 'photos') })
    const model = await api.search.setModel({ dir: lib.modelA })
    const ids = engine.catalog.db
      .prepare('SELECT id FROM photos ORDER BY id')
      .pluck()
      .all() as number[]
    const cursor = ids[3] as number
    // A clip job that died after checkpointing the batch ending at `cursor` (as a crash leaves it).
    const jobs = new JobRepository(engine.catalog.db)
    const row = jobs.create({ kind: 'clip' }, [], new Date().toISOString())
    jobs.saveProgress(
      row.id,
      { total: ids.length, done: 4, failed: 0, skipped: 0, currentItem: null, activeSeconds: 1 },
      String(cursor),
    )
    jobs.setState(row.id, 'interrupted')

    engine.jobs.resume(row.id)
    const job = await engine.jobs.waitFor(row.id)
    expect(job).toMatchObject({ state: 'completed', total: ids.length, done: ids.length })
    expect(logOf(engine, row.id)).toMatch(new RegExp(`resumed from ${cursor}`))
    const embedded = [...vectorsOf(engine, model.modelId).keys()].sort((x, y) => x - y)
    expect(embedded).toEqual(ids.filter((id) => id > cursor))
  })

  it('uses the 1024 px preview the analyze job wrote instead of decoding the original again', async () => {
    const lib = await makeLibrary()
    const { engine, api } = await open(lib)
    await run(engine, { kind: 'import', root: path.join(lib.dir, 'photos', 'real') })
    expect((await run(engine, { kind: 'analyze' })).state).toBe('completed')
    await api.search.setModel({ dir: lib.modelA })
    const job = await run(engine, { kind: 'clip' })
    expect(job.done).toBe(REAL.length)
    expect(logOf(engine, job.id)).toMatch(
      new RegExp(`embedded ${REAL.length} \\(${REAL.length} from previews, 0 from originals\\)`),
    )
  })
})
