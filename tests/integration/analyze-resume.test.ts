import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main'
import { openEngine } from '../../src/core/engine'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()
const ROOT = path.resolve(__dirname, '../..')
const PHOTOS = path.join(ROOT, 'tests/fixtures/photos')

/** `count` distinct 1200x800 JPEGs cropped from the fixture photos. */
async function makePhotos(dir: string, count: number): Promise<void> {
  mkdirSync(dir, { recursive: true })
  const sources = readdirSync(PHOTOS).filter((n) => n.endsWith('.jpg'))
  for (let i = 0; i < count; i++) {
    const src = path.join(PHOTOS, sources[i % sources.length] as string)
    const meta = await sharp(src).metadata()
    const w = Math.floor(meta.width * 0.6)
    const h = Math.floor(meta.height * 0.6)
    const left = Math.floor((((i * 37) % 40) / 100) * meta.width)
    const top = Math.floor((((i * 53) % 40) / 100) * meta.height)
    await sharp(src)
      .extract({ left, top, width: w, height: h })
      .resize(1200, 800, { fit: 'cover' })
      .jpeg({ quality: 85 })
      .toFile(path.join(dir, `p${String(i).padStart(3, '0')}.jpg`))
  }
}

interface JobRowLite {
  id: number
  state: string
  cursor: string | null
  total: number
  done: number
  failed: number
  skipped: number
}

describe('analyze after SIGKILL', () => {
  it('resumes where it stopped with nothing done twice', async () => {
    const base = tempDir()
    const catalog = path.join(base, 'catalog.sqlite')
    const N = 60
    await makePhotos(path.join(base, 'lib'), N)
    const engine = await openEngine(catalog, { workerCount: 1 })
    const imported = await engine.jobs.waitFor(
      engine.jobs.start({ kind: 'import', root: path.join(base, 'lib') }).id,
    )
    expect(imported.done).toBe(N)
    await engine.close()

    // `vam run analyze` in its own process group, killed with SIGKILL once a batch is written.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'src/cli/index.ts'),
        '--catalog',
        catalog,
        'run',
        'analyze',
        '--no-progress',
      ],
      { cwd: ROOT, detached: true, stdio: 'ignore' },
    )
    const exited = new Promise((resolve) => child.once('exit', resolve))
    const reader = new Database(catalog, { readonly: true, fileMustExist: true })
    reader.pragma('busy_timeout = 5000')
    const analyzeJob = () =>
      reader.prepare(`SELECT * FROM jobs WHERE kind = 'analyze' ORDER BY id DESC LIMIT 1`).get() as
        JobRowLite | undefined
    const deadline = Date.now() + 60_000
    let atKill: JobRowLite | undefined
    while (Date.now() < deadline) {
      const job = analyzeJob()
      if (job?.cursor && job.done > 0) {
        atKill = job
        break
      }
      await new Promise((r) => setTimeout(r, 25))
    }
    process.kill(-(child.pid as number), 'SIGKILL')
    await exited
    expect(atKill, 'the job wrote a batch before the kill').toBeDefined()
    const killed = analyzeJob() as JobRowLite
    expect(killed.done).toBeLessThan(N)
    const writtenBefore = reader
      .prepare('SELECT photo_id, computed_at FROM hashes ORDER BY photo_id')
      .all() as { photo_id: number; computed_at: string }[]
    expect(writtenBefore.length).toBe(killed.done)
    // Rows and cursor agree: exactly the photos up to the cursor were written.
    expect(writtenBefore.at(-1)?.photo_id).toBe(Number(killed.cursor))
    reader.close()

    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    let code: number
    try {
      code = await runCli(['--catalog', catalog, 'jobs', 'resume', String(killed.id)])
    } finally {
      spy.mockRestore()
      errSpy.mockRestore()
    }
    expect(code).toBe(0)

    const db = new Database(catalog, { readonly: true })
    const final = db.prepare('SELECT * FROM jobs WHERE id = ?').get(killed.id) as JobRowLite
    expect(final.state).toBe('completed')
    // Every photo counted exactly once across both runs.
    expect([final.total, final.done, final.failed, final.skipped]).toEqual([N, N, 0, 0])
    expect((db.prepare('SELECT COUNT(*) AS n FROM hashes').get() as { n: number }).n).toBe(N)
    expect((db.prepare('SELECT COUNT(*) AS n FROM quality').get() as { n: number }).n).toBe(N)
    expect((db.prepare('SELECT COUNT(*) AS n FROM thumbnails').get() as { n: number }).n).toBe(
      2 * N,
    )
    // What was written before the kill was not redone.
    const after = new Map(
      (
        db.prepare('SELECT photo_id, computed_at FROM hashes').all() as {
          photo_id: number
          computed_at: string
        }[]
      ).map((r) => [r.photo_id, r.computed_at]),
    )
    for (const row of writtenBefore) expect(after.get(row.photo_id)).toBe(row.computed_at)
    db.close()
  })
})
