import { spawn } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import sharp, { type Sharp } from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { openEngine, type Engine } from '../../src/core/engine'
import type { PhotoRow } from '../../src/core/catalog/repositories/photo.repository'
import type { JobDto } from '../../src/shared/jobs'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'photos')
const REPO = path.join(import.meta.dirname, '..', '..')

const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

async function importOnce(
  catalogFile: string,
  root: string,
): Promise<{ job: JobDto; engine: Engine }> {
  const engine = await openEngine(catalogFile, { workerCount: 1 })
  engines.push(engine)
  const started = engine.jobs.start({ kind: 'import', root })
  const job = await engine.jobs.waitFor(started.id)
  return { job, engine }
}

function rows(engine: Engine): PhotoRow[] {
  return engine.catalog.db.prepare('SELECT * FROM photos ORDER BY id').all() as PhotoRow[]
}

function byName(engine: Engine, name: string): PhotoRow {
  const row = engine.catalog.db.prepare('SELECT * FROM photos WHERE name = ?').get(name) as
    PhotoRow | undefined
  if (!row) throw new Error(`no row for ${name}`)
  return row
}

function errorsOf(engine: Engine): Map<string, string> {
  const list = engine.catalog.db
    .prepare(`SELECT path, code FROM item_errors WHERE stage = 'import'`)
    .all() as { path: string; code: string }[]
  return new Map(list.map((e) => [path.basename(e.path), e.code]))
}

/** Whether chmod 000 actually blocks reading here (it does not for root). */
function chmodBlocksReads(dir: string): boolean {
  const probe = path.join(dir, 'probe')
  writeFileSync(probe, 'x')
  chmodSync(probe, 0o000)
  try {
    readFileSync(probe)
    return false
  } catch {
    return true
  } finally {
    chmodSync(probe, 0o600)
    rmSync(probe)
  }
}

/** The TIFF structure inside a JPEG's EXIF APP1 segment. */
function exifTiffOf(jpegFile: string): Buffer {
  const jpeg = readFileSync(jpegFile)
  let off = 2
  while (off < jpeg.length && jpeg[off] === 0xff) {
    const marker = jpeg[off + 1]
    const length = jpeg.readUInt16BE(off + 2)
    if (marker === 0xe1 && jpeg.toString('latin1', off + 4, off + 10) === 'Exif\0\0') {
      return jpeg.subarray(off + 10, off + 2 + length)
    }
    off += 2 + length
  }
  throw new Error(`no EXIF in ${jpegFile}`)
}

/** An ISO-BMFF box. */
function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts)
  const head = Buffer.alloc(8)
  head.writeUInt32BE(8 + body.length)
  head.write(type, 4, 'latin1')
  return Buffer.concat([head, body])
}

/**
 * A minimal MP4/MOV: ftyp, moov (mvhd with a creation time, one tkhd with a size), mdat. Enough
 * structure for import (container facts); no playable media.
 */
function movie(brand: string, createdMs: number, width: number, height: number): Buffer {
  const ftyp = box('ftyp', Buffer.from(`${brand}\0\0\0\0${brand}`, 'latin1'))
  const mvhd = Buffer.alloc(100)
  mvhd.writeUInt32BE(Math.floor(createdMs / 1000) + 2_082_844_800, 4)
  const tkhd = Buffer.alloc(84)
  tkhd.writeUInt32BE(width * 65536, 76)
  tkhd.writeUInt32BE(height * 65536, 80)
  const moov = box('moov', box('mvhd', mvhd), box('trak', box('tkhd', tkhd)))
  return Buffer.concat([ftyp, moov, box('mdat', Buffer.alloc(4096, 7))])
}

interface Library {
  readonly root: string
  /** Files that must become photos. */
  readonly good: readonly string[]
  /** Bad files and the code each must get. */
  readonly bad: ReadonlyMap<string, string>
  readonly unreadableTested: boolean
}

/**
 * The fixtures plus generated variants: EXIF dates with offsets and GPS (sharp withExif), a file
 * name date, a folder date, null-island GPS, an exact duplicate, an extension-less JPEG, and the
 * bad files; plus things that must not become items (hidden, junk, text, a symlink loop).
 */
async function buildLibrary(): Promise<Library> {
  const root = path.join(tempDir(), 'library')
  mkdirSync(path.join(root, 'fixtures'), { recursive: true })
  const good: string[] = []
  for (const name of readdirSync(FIXTURES)) {
    copyFileSync(path.join(FIXTURES, name), path.join(root, 'fixtures', name))
    good.push(name)
  }
  const base = sharp(path.join(FIXTURES, 'mate_Storm.jpg')).resize(320)

  mkdirSync(path.join(root, 'trip'))
  /** A TestCam T-1000 JPEG in trip/ with these EXIF date (IFD2) and GPS (IFD3) tags. */
  const tripPhoto = async (name: string, exif: Record<'IFD2' | 'IFD3', Record<string, string>>) => {
    await base
      .clone()
      .withExif({ IFD0: { Make: 'TestCam', Model: 'T-1000' }, ...exif })
      .jpeg()
      .toFile(path.join(root, 'trip', name))
    good.push(name)
  }
  await tripPhoto('exif-gps.jpg', {
    IFD2: {
      DateTimeOriginal: '2019:04:12 15:30:12',
      OffsetTimeOriginal: '+02:00',
      ISOSpeedRatings: '200',
    },
    IFD3: {
      GPSLatitudeRef: 'N',
      GPSLatitude: '48/1 51/1 2964/100',
      GPSLongitudeRef: 'E',
      GPSLongitude: '2/1 17/1 4020/100',
      GPSAltitudeRef: '0',
      GPSAltitude: '35/1',
    },
  })
  await tripPhoto('null-island.jpg', {
    IFD2: { DateTimeOriginal: '2021:06:01 10:00:00' },
    IFD3: {
      GPSLatitudeRef: 'N',
      GPSLatitude: '0/1 0/1 0/1',
      GPSLongitudeRef: 'E',
      GPSLongitude: '0/1 0/1 0/1',
    },
  })

  // No EXIF (sharp strips metadata by default): the date must come from the name.
  await base
    .clone()
    .jpeg({ quality: 70 })
    .toFile(path.join(root, 'trip', 'IMG_20180305_101112.jpg'))
  good.push('IMG_20180305_101112.jpg')

  // No EXIF, no name date: the folder tells the date (mtime set outside the folder's month).
  mkdirSync(path.join(root, '2017', '08', '15'), { recursive: true })
  const folderDated = path.join(root, '2017', '08', '15', 'scan.png')
  await base.clone().png().toFile(folderDated)
  utimesSync(folderDated, new Date('2022-02-02T00:00:00Z'), new Date('2022-02-02T00:00:00Z'))
  good.push('scan.png')

  // An exact duplicate at another path, and a JPEG without an extension (probed by content).
  mkdirSync(path.join(root, 'copies'))
  copyFileSync(path.join(FIXTURES, 'kde_Kite.jpg'), path.join(root, 'copies', 'kite-copy.jpg'))
  good.push('kite-copy.jpg')
  copyFileSync(path.join(FIXTURES, 'mate_Dune.jpg'), path.join(root, 'copies', 'dune-no-extension'))
  good.push('dune-no-extension')

  // Other formats, by content: WebP, TIFF, GIF, AVIF, a TIFF-based RAW, and hand-built MP4/MOV.
  mkdirSync(path.join(root, 'formats'))
  const small = sharp(path.join(FIXTURES, 'skimage_coffee.png')).resize(300)
  const encodings: [string, (image: Sharp) => Sharp][] = [
    ['coffee.webp', (image) => image.webp()],
    ['coffee.tif', (image) => image.tiff()],
    ['coffee.gif', (image) => image.gif()],
    ['coffee.avif', (image) => image.avif({ effort: 0 })],
  ]
  for (const [name, encode] of encodings) {
    await encode(small.clone()).toFile(path.join(root, 'formats', name))
  }
  // A TIFF-structured RAW: a real camera's EXIF block (IFD0 + Exif IFD) as the whole file, the
  // way NEF/ARW/DNG files are TIFF directories (sharp's TIFF output carries no EXIF).
  writeFileSync(
    path.join(root, 'formats', 'camera.nef'),
    exifTiffOf(path.join(FIXTURES, 'kde_Kite.jpg')),
  )
  writeFileSync(
    path.join(root, 'formats', 'clip.mp4'),
    movie('isom', Date.UTC(2021, 4, 6, 7, 8, 9), 1920, 1080),
  )
  writeFileSync(
    path.join(root, 'formats', 'clip.mov'),
    movie('qt  ', Date.UTC(2022, 0, 2, 3, 4, 5), 1280, 720),
  )
  good.push(
    'coffee.webp',
    'coffee.tif',
    'coffee.gif',
    'coffee.avif',
    'camera.nef',
    'clip.mp4',
    'clip.mov',
  )

  // Bad files.
  const bad = new Map<string, string>()
  mkdirSync(path.join(root, 'bad'))
  writeFileSync(path.join(root, 'bad', 'empty.jpg'), '')
  bad.set('empty.jpg', 'empty')
  const jpeg = readFileSync(path.join(FIXTURES, 'mate_Dune.jpg'))
  writeFileSync(
    path.join(root, 'bad', 'truncated.jpg'),
    jpeg.subarray(0, Math.floor(jpeg.length / 2)),
  )
  bad.set('truncated.jpg', 'truncated')
  writeFileSync(path.join(root, 'bad', 'notes-named.jpg'), 'this is a text file, not a photo\n')
  bad.set('notes-named.jpg', 'unsupported')
  const png = Buffer.from(readFileSync(path.join(FIXTURES, 'skimage_coffee.png')))
  png.writeUInt32BE(250_000, 16)
  png.writeUInt32BE(250_000, 20)
  writeFileSync(path.join(root, 'bad', 'huge-header.png'), png)
  bad.set('huge-header.png', 'too_large')
  const cutPng = readFileSync(path.join(FIXTURES, 'skimage_chelsea.png'))
  writeFileSync(path.join(root, 'bad', 'cut.png'), cutPng.subarray(0, cutPng.length - 200))
  bad.set('cut.png', 'truncated')
  // A JPEG whose segment structure breaks right after its first header segment.
  const garbage = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'),
    Buffer.alloc(4096, 0x5a),
  ])
  writeFileSync(path.join(root, 'bad', 'garbage.jpg'), garbage)
  bad.set('garbage.jpg', 'corrupt')
  // A recording cut short: the mdat box says more bytes than the file has.
  const cut = movie('isom', Date.UTC(2021, 4, 6), 640, 480)
  writeFileSync(path.join(root, 'bad', 'cut.mp4'), cut.subarray(0, cut.length - 10))
  bad.set('cut.mp4', 'truncated')
  const unreadableTested = chmodBlocksReads(path.join(root, 'bad'))
  if (unreadableTested) {
    copyFileSync(path.join(FIXTURES, 'mate_LadyBird.jpg'), path.join(root, 'bad', 'locked.jpg'))
    chmodSync(path.join(root, 'bad', 'locked.jpg'), 0o000)
    bad.set('locked.jpg', 'unreadable')
  }

  // Never items: hidden files and folders, NAS/OS junk, non-media, a symlink loop.
  copyFileSync(path.join(FIXTURES, 'kde_Kite.jpg'), path.join(root, '.hidden.jpg'))
  mkdirSync(path.join(root, '.thumbnails'))
  copyFileSync(path.join(FIXTURES, 'kde_Kite.jpg'), path.join(root, '.thumbnails', 'thumb.jpg'))
  mkdirSync(path.join(root, '@eaDir'))
  copyFileSync(path.join(FIXTURES, 'kde_Kite.jpg'), path.join(root, '@eaDir', 'x.jpg'))
  writeFileSync(path.join(root, 'Thumbs.db'), 'junk')
  writeFileSync(path.join(root, 'notes.txt'), 'not a photo')
  writeFileSync(path.join(root, 'README'), 'plain text without an extension')
  symlinkSync(root, path.join(root, 'trip', 'loop'))
  return { root, good, bad, unreadableTested }
}

describe('import job', () => {
  it('imports, re-imports as a no-op, follows moves, marks vanished files, records bad files', async () => {
    const lib = await buildLibrary()
    const catalog = path.join(tempDir(), 'catalog.sqlite')
    if (!lib.unreadableTested) {
      console.warn(
        'skipping the unreadable-file case: running as root, chmod 000 does not block reads',
      )
    }

    // First import.
    let { job, engine } = await importOnce(catalog, lib.root)
    expect(job.state).toBe('completed')
    expect(job.done).toBe(lib.good.length)
    expect(job.failed).toBe(lib.bad.size)
    expect(job.skipped).toBe(0)
    expect(job.total).toBe(lib.good.length + lib.bad.size)
    const first = rows(engine)
    expect(first.map((r) => r.name).sort()).toEqual([...lib.good].sort())
    expect(errorsOf(engine)).toEqual(lib.bad)
    // Exact duplicates are separate rows with the same checksum.
    expect(byName(engine, 'kite-copy.jpg').checksum).toBe(byName(engine, 'kde_Kite.jpg').checksum)
    expect(byName(engine, 'kite-copy.jpg').id).not.toBe(byName(engine, 'kde_Kite.jpg').id)
    expect(byName(engine, 'kde_Kite.jpg').checksum).toMatch(/^[0-9a-f]{32}$/)

    // Metadata and dates.
    expect(byName(engine, 'exif-gps.jpg')).toMatchObject({
      format: 'jpeg',
      media_kind: 'image',
      width: 320,
      make: 'TestCam',
      model: 'T-1000',
      taken_at: '2019-04-12T15:30:12',
      date_source: 'exif-original',
      date_confidence: 95,
      tz_offset: '+02:00',
      gps_suspicious: null,
    })
    const gps = byName(engine, 'exif-gps.jpg')
    expect(gps.gps_lat).toBeCloseTo(48.858233, 5)
    expect(gps.gps_lon).toBeCloseTo(2.2945, 5)
    expect(gps.gps_alt).toBe(35)
    expect(gps.geohash).toHaveLength(12)
    expect(gps.geohash?.startsWith('u09tunq')).toBe(true)
    expect(byName(engine, 'null-island.jpg')).toMatchObject({
      gps_suspicious: 'null-island',
      geohash: null,
    })
    expect(byName(engine, 'IMG_20180305_101112.jpg')).toMatchObject({
      taken_at: '2018-03-05T10:11:12',
      date_source: 'filename',
      date_confidence: 70,
    })
    expect(byName(engine, 'scan.png')).toMatchObject({
      format: 'png',
      taken_at: '2017-08-15T00:00:00',
      date_source: 'folder',
      date_confidence: 50,
    })
    expect(byName(engine, 'kde_ColorfulCups.jpg')).toMatchObject({
      make: 'SONY',
      taken_at: '2014-04-29T14:25:26',
      date_source: 'exif-original',
    })
    expect(byName(engine, 'kde_ColorfulCups.jpg').geohash?.startsWith('u1zr')).toBe(true)
    expect(byName(engine, 'dune-no-extension')).toMatchObject({
      format: 'jpeg',
      width: 1680,
      height: 1050,
    })
    for (const [name, format] of [
      ['coffee.webp', 'webp'],
      ['coffee.tif', 'tiff'],
      ['coffee.gif', 'gif'],
      ['coffee.avif', 'avif'],
    ] as const) {
      expect(byName(engine, name), name).toMatchObject({
        format,
        media_kind: 'image',
        width: 300,
        height: 200,
      })
    }
    expect(byName(engine, 'camera.nef')).toMatchObject({
      format: 'raw',
      raw_format: 'nef',
      make: 'OLYMPUS IMAGING CORP.',
      model: 'E-M1',
      taken_at: '2015-07-21T16:17:44',
      date_source: 'exif-original',
    })
    expect(byName(engine, 'clip.mp4')).toMatchObject({
      format: 'mp4',
      media_kind: 'video',
      width: 1920,
      height: 1080,
      taken_at: '2021-05-06T07:08:09',
      tz_offset: '+00:00',
    })
    expect(byName(engine, 'clip.mov')).toMatchObject({
      format: 'mov',
      width: 1280,
      height: 720,
      taken_at: '2022-01-02T03:04:05',
    })
    expect(byName(engine, 'skimage_astronaut.png')).toMatchObject({
      format: 'png',
      width: 512,
      height: 512,
    })
    // The import remembers the folder.
    expect(engine.settings.getAll().recentFolders[0]).toBe(lib.root)
    await engine.close()

    // Re-import: nothing imported, no row touched, good files skipped, bad ones tried again.
    ;({ job, engine } = await importOnce(catalog, lib.root))
    expect(job).toMatchObject({
      state: 'completed',
      done: 0,
      skipped: lib.good.length,
      failed: lib.bad.size,
    })
    expect(rows(engine)).toEqual(first)
    await engine.close()

    // Move one file, delete another: the moved one keeps its id, the deleted one is marked.
    const kite = byNameIn(first, 'mate_Storm.jpg')
    mkdirSync(path.join(lib.root, 'moved'))
    renameSync(
      path.join(lib.root, 'fixtures', 'mate_Storm.jpg'),
      path.join(lib.root, 'moved', 'storm.jpg'),
    )
    const gone = byNameIn(first, 'mate_LadyBird.jpg')
    const ladybird = readFileSync(gone.path)
    rmSync(gone.path)
    ;({ job, engine } = await importOnce(catalog, lib.root))
    expect(job.state).toBe('completed')
    expect(job.done).toBe(1)
    const after = rows(engine)
    expect(after).toHaveLength(first.length)
    const moved = after.find((r) => r.id === kite.id)
    expect(moved).toMatchObject({
      path: path.join(lib.root, 'moved', 'storm.jpg'),
      name: 'storm.jpg',
      missing_since: null,
    })
    expect(moved?.checksum).toBe(kite.checksum)
    const missing = after.find((r) => r.id === gone.id)
    expect(missing?.missing_since).not.toBeNull()
    expect(after.filter((r) => r.missing_since !== null)).toHaveLength(1)
    await engine.close()

    // The deleted file comes back: its row (same id) is present again.
    writeFileSync(gone.path, ladybird)
    ;({ job, engine } = await importOnce(catalog, lib.root))
    expect(job.state).toBe('completed')
    const back = rows(engine).find((r) => r.id === gone.id)
    expect(back?.missing_since).toBeNull()
    expect(rows(engine)).toHaveLength(first.length)

    // A copy of the moved file at yet another path while the original exists: a new row.
    copyFileSync(
      path.join(lib.root, 'moved', 'storm.jpg'),
      path.join(lib.root, 'moved', 'storm-2.jpg'),
    )
    await engine.close()
    ;({ job, engine } = await importOnce(catalog, lib.root))
    expect(rows(engine)).toHaveLength(first.length + 1)
    expect(byName(engine, 'storm-2.jpg').id).not.toBe(kite.id)
    expect(byName(engine, 'storm.jpg').id).toBe(kite.id)
  })

  it('fails the job with a clear message when the folder does not exist', async () => {
    const catalog = path.join(tempDir(), 'catalog.sqlite')
    const { job } = await importOnce(catalog, path.join(tempDir(), 'nope'))
    expect(job.state).toBe('failed')
    expect(job.error).toMatch(/cannot open .*nope/)
  })
})

function byNameIn(list: readonly PhotoRow[], name: string): PhotoRow {
  const row = list.find((r) => r.name === name)
  if (!row) throw new Error(`no row for ${name}`)
  return row
}

/** Runs `vam` from source in a child process. */
function vam(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO, 'src', 'cli', 'index.ts'), ...args],
    {
      cwd: REPO,
      env: { ...process.env, TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
}

async function vamOutput(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = vam(args)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { code, stdout, stderr }
}

describe('vam import killed with SIGKILL', () => {
  it('resumes to exactly one row per file, counters exact', async () => {
    const root = path.join(tempDir(), 'many')
    const count = 1000
    const base = await sharp(path.join(FIXTURES, 'skimage_chelsea.png'))
      .resize(96)
      .jpeg()
      .toBuffer()
    for (let d = 0; d < 4; d++) {
      mkdirSync(path.join(root, `d${d}`), { recursive: true })
    }
    for (let i = 0; i < count; i++) {
      // Byte-distinct small JPEGs: a comment segment with the index after SOI.
      const comment = Buffer.from(`file ${i}`)
      const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0, comment.length + 2]), comment])
      writeFileSync(
        path.join(root, `d${i % 4}`, `img-${String(i).padStart(4, '0')}.jpg`),
        Buffer.concat([base.subarray(0, 2), com, base.subarray(2)]),
      )
    }
    // Bad files spread through the walk: those before the crash point must not be counted twice.
    const bad = 20
    for (let i = 0; i < bad; i++) {
      writeFileSync(
        path.join(root, `d${i % 4}`, `img-${String(i * 50).padStart(4, '0')}-empty.jpg`),
        '',
      )
    }
    const catalog = path.join(tempDir(), 'catalog.sqlite')

    const child = vam(['import', root, '--catalog', catalog, '--json'])
    // Poll the catalog until some rows are committed, then kill -9 mid-run.
    const deadline = Date.now() + 60_000
    let seen = 0
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50))
      try {
        const db = new Database(catalog, { readonly: true, fileMustExist: true })
        try {
          seen = (db.prepare('SELECT COUNT(*) AS n FROM photos').get() as { n: number }).n
        } finally {
          db.close()
        }
      } catch {
        // Not created or not migrated yet.
      }
      // Past the first batch, so the resume has committed rows and a real cursor to reconcile.
      if (seen >= 100) break
    }
    child.kill('SIGKILL')
    await new Promise((resolve) => child.on('exit', resolve))
    expect(seen).toBeGreaterThanOrEqual(100)

    const mid = new Database(catalog, { readonly: true })
    const midRows = (mid.prepare('SELECT COUNT(*) AS n FROM photos').get() as { n: number }).n
    const jobRow = mid.prepare('SELECT id, state FROM jobs ORDER BY id DESC LIMIT 1').get() as {
      id: number
      state: string
    }
    mid.close()
    // Killed mid-run: some but not all rows.
    console.log(`killed with ${midRows} rows committed`)
    expect(midRows).toBeLessThan(count)
    expect(jobRow.state).toBe('running')

    const resumed = await vamOutput([
      'jobs',
      'resume',
      String(jobRow.id),
      '--catalog',
      catalog,
      '--json',
    ])
    expect(resumed.stderr).not.toMatch(/vam .*:/)
    expect(resumed.code).toBe(0)
    const report = JSON.parse(resumed.stdout) as { job: JobDto }
    expect(report.job.state).toBe('completed')
    // Every file counted exactly once over both runs.
    expect(report.job.done + report.job.skipped).toBe(count)
    expect(report.job.failed).toBe(bad)
    expect(report.job.total).toBe(count + bad)

    const db = new Database(catalog, { readonly: true })
    const stats = db
      .prepare(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT path) AS paths, COUNT(DISTINCT checksum) AS sums FROM photos',
      )
      .get() as {
      n: number
      paths: number
      sums: number
    }
    const errors = db
      .prepare(
        `SELECT code, COUNT(*) AS n, MAX(attempts) AS attempts FROM item_errors GROUP BY code`,
      )
      .all()
    db.close()
    expect(stats).toEqual({ n: count, paths: count, sums: count })
    // Each bad file recorded once, never retried by the resume.
    expect(errors).toEqual([{ code: 'empty', n: bad, attempts: 1 }])
  })
})
