import { createHash } from 'node:crypto'
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  linkSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { DecisionRepository } from '../../src/core/catalog/repositories/decision.repository'
import { openEngine, type Engine } from '../../src/core/engine'
import { createVamService } from '../../src/core/service'
import {
  filesEqual,
  moveFile,
  quarantinePathFor,
  sameFile,
  sha256File,
} from '../../src/core/services/file-moves'
import { FIXTURES } from '../helpers/dupe-library'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

/** A tmpfs on Linux: a different device from the temp dir, so moves must copy and verify. */
function otherDevice(): string | null {
  try {
    accessSync('/dev/shm', constants.W_OK)
    return mkdtempSync('/dev/shm/vam-test-')
  } catch {
    return null
  }
}

describe('file moves', () => {
  it('puts removed files under quarantine/<decision>/<original path>', () => {
    expect(quarantinePathFor('/q', 7, '/home/me/Pictures/a.jpg')).toBe(
      '/q/7/home/me/Pictures/a.jpg',
    )
  })

  it('moves on one device by rename and refuses to overwrite', async () => {
    const dir = tempDir()
    const from = path.join(dir, 'a.bin')
    writeFileSync(from, 'content')
    const to = path.join(dir, 'q', 'x', 'a.bin')
    await moveFile(from, to, await sha256File(from))
    expect(existsSync(from)).toBe(false)
    expect(readFileSync(to, 'utf8')).toBe('content')
    writeFileSync(from, 'other')
    await expect(moveFile(from, to, await sha256File(from))).rejects.toThrow(
      /refusing to overwrite/,
    )
    expect(readFileSync(to, 'utf8')).toBe('content')
  })

  const shm = otherDevice()
  it.skipIf(shm === null)('moves across devices by copy + verify + unlink', async () => {
    const from = path.join(shm as string, 'photo.jpg')
    writeFileSync(from, readFileSync(path.join(FIXTURES, 'mate_Dune.jpg')))
    const digest = await sha256File(from)
    const to = path.join(tempDir(), 'q', 'photo.jpg')
    try {
      await moveFile(from, to, digest)
      expect(existsSync(from)).toBe(false)
      expect(sha(to)).toBe(digest)
      expect(existsSync(`${to}.partial`)).toBe(false)
      // A wrong checksum leaves the original where it is.
      writeFileSync(from, 'x')
      await expect(moveFile(from, `${to}2`, digest)).rejects.toThrow(/did not verify/)
      expect(existsSync(from)).toBe(true)
      expect(existsSync(`${to}2`)).toBe(false)
    } finally {
      rmSync(shm as string, { recursive: true, force: true })
    }
  })

  it('knows hard links and symlinks are the same file, and compares bytes', async () => {
    const dir = tempDir()
    const a = path.join(dir, 'a.bin')
    writeFileSync(a, Buffer.alloc(3 << 20, 7))
    linkSync(a, path.join(dir, 'hard.bin'))
    symlinkSync(a, path.join(dir, 'soft.bin'))
    writeFileSync(path.join(dir, 'copy.bin'), Buffer.alloc(3 << 20, 7))
    const differs = Buffer.alloc(3 << 20, 7)
    differs[(3 << 20) - 1] = 8
    writeFileSync(path.join(dir, 'differs.bin'), differs)
    expect(sameFile(a, path.join(dir, 'hard.bin'))).toBe(true)
    expect(sameFile(a, path.join(dir, 'soft.bin'))).toBe(true)
    expect(sameFile(a, path.join(dir, 'copy.bin'))).toBe(false)
    expect(await filesEqual(a, path.join(dir, 'copy.bin'))).toBe(true)
    expect(await filesEqual(a, path.join(dir, 'differs.bin'))).toBe(false)
  })
})

describe('resolution with the OS trash (desktop host)', () => {
  const engines: Engine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close()
  })

  /** Two byte copies imported, exact group found (no analysis needed for exact duplicates). */
  async function setup(trash: string) {
    const dir = tempDir()
    const root = path.join(dir, 'lib')
    mkdirSync(path.join(root, 'a'), { recursive: true })
    mkdirSync(path.join(root, 'b'), { recursive: true })
    const a = path.join(root, 'a', 'x.jpg')
    const b = path.join(root, 'b', 'x.jpg')
    await sharp(path.join(FIXTURES, 'mate_Storm.jpg')).resize(400).toFile(a)
    writeFileSync(b, readFileSync(a))
    // The host hook as the desktop app provides it; here the "trash" is a plain folder.
    const trashItem = async (file: string) => {
      mkdirSync(trash, { recursive: true })
      renameSync(
        file,
        path.join(trash, path.basename(path.dirname(file)) + '-' + path.basename(file)),
      )
    }
    const engine = await openEngine(path.join(dir, 'c.sqlite'), { workerCount: 1, trashItem })
    engines.push(engine)
    for (const params of [{ kind: 'import', root }, { kind: 'duplicates' }] as const) {
      const job = await engine.jobs.waitFor(engine.jobs.start(params).id)
      expect(job.state).toBe('completed')
    }
    return { engine, api: createVamService(engine), a, b }
  }

  it('sends removed files to the trash; undo asks for a manual restore, or takes it back', async () => {
    const trash = path.join(tempDir(), 'Trash')
    const { engine, api, a, b } = await setup(trash)
    const group = (await api.review.duplicateGroups({})).items[0]
    expect(group?.kind).toBe('exact')
    const keeperId = group?.representative as number
    const keeper = (await api.review.duplicateGroup({ id: group?.id as number }))?.members.find(
      (m) => m.photoId === keeperId,
    )
    const removed = keeper?.path === a ? b : a
    const digest = sha(removed)
    const result = await api.review.resolveDuplicates({ all: true, confirm: true })
    expect(result.moved).toEqual([expect.objectContaining({ from: removed, to: null })])
    expect(existsSync(removed)).toBe(false)
    const inTrash = path.join(trash, `${path.basename(path.dirname(removed))}-x.jpg`)
    expect(sha(inTrash)).toBe(digest)
    const stored = new DecisionRepository(engine.catalog.db).get(result.decisionId as number)
    expect(stored?.payload.moves[0]).toMatchObject({ method: 'trash', sha256: digest, done: true })

    // Restored by hand from the trash, then undone: recognised by its checksum.
    renameSync(inTrash, removed)
    const first = await api.review.undo({})
    expect(first.restored).toEqual([expect.objectContaining({ path: removed })])
    expect(first.manual).toEqual([])
    expect((await api.photos.page({ filter: { missing: true }, offset: 0, limit: 10 })).total).toBe(
      0,
    )

    // The OS trash has no API to restore from: undo says so and leaves the photo missing.
    await api.review.resolveDuplicates({ all: true, confirm: true })
    const second = await api.review.undo({})
    expect(second.restored).toEqual([])
    expect(second.manual).toEqual([
      expect.objectContaining({ path: removed, reason: expect.stringMatching(/OS trash/) }),
    ])
    expect((await api.photos.page({ filter: { missing: true }, offset: 0, limit: 10 })).total).toBe(
      1,
    )
  })
})
