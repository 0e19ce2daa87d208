import { execFileSync, spawn, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { openCatalog } from '../src/core/catalog/open-catalog'
import {
  PhotoImportRepository,
  type PhotoImportRow,
} from '../src/core/catalog/repositories/photo-import.repository'
import { openEngine } from '../src/core/engine'
import { reportBench } from './report'

/**
 * `npm run bench -- import`: the full import job (walk + checksum + sniff + EXIF + dates + GPS +
 * insert) on a generated library of realistic JPEGs, against `exiftool -fast -json` over the same
 * files with as many processes as the import has workers; plus 100,000 row inserts.
 *
 * The library (default 5,000 files of 2–5 MB with EXIF) is generated once and cached in
 * $VAM_BENCH_DIR (default /tmp/vam-bench-import-lib): a few big, detailed base JPEGs made from the
 * fixtures with sharp, then copies whose EXIF DateTimeOriginal is rewritten in place, so every file
 * is byte-distinct with its own date and nothing has to be re-encoded per copy.
 * Options: --files N (default 5000), --skip-exiftool.
 */

const FIXTURES = path.join(import.meta.dirname, '..', 'tests', 'fixtures', 'photos')
const LIBRARY_VERSION = 3
const PLACEHOLDER_DATE = '2019:01:01 00:00:00'
const FILES_PER_FOLDER = 500

/**
 * Base images: each fixture upscaled to a camera-like size with fine noise (so it compresses like a
 * real photo), encoded at the JPEG quality that lands nearest its target size. Targets spread over
 * 2–5 MB, mean ≈ 2.9 MB.
 */
const BASES: readonly { fixture: string; width: number; targetMB: number }[] = [
  { fixture: 'lomiri_Dragonfly_by_Bolly.jpg', width: 4224, targetMB: 2.1 },
  { fixture: 'lomiri_Bridge_by_Sander_Klootwijk.jpg', width: 4352, targetMB: 2.3 },
  { fixture: 'lomiri_life_by_Aitzol_Berasategi.jpg', width: 4000, targetMB: 2.5 },
  { fixture: 'kde_ColorfulCups.jpg', width: 4000, targetMB: 2.7 },
  { fixture: 'kde_FallenLeaf.jpg', width: 4000, targetMB: 3.0 },
  { fixture: 'mate_Dune.jpg', width: 4000, targetMB: 3.3 },
  { fixture: 'kde_Kite.jpg', width: 4000, targetMB: 2.6 },
  { fixture: 'mate_Storm.jpg', width: 4000, targetMB: 4.5 },
]

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function makeBase(spec: (typeof BASES)[number], index: number): Promise<Buffer> {
  const meta = await sharp(path.join(FIXTURES, spec.fixture)).metadata()
  const height = Math.round(((meta.height ?? 3000) * spec.width) / (meta.width ?? 4000))
  const noise = await sharp({
    create: {
      width: spec.width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 24 },
    },
  })
    .png({ compressionLevel: 0 })
    .toBuffer()
  const pixels = await sharp(path.join(FIXTURES, spec.fixture))
    .resize(spec.width, height)
    .composite([{ input: noise, blend: 'soft-light' }])
    .raw()
    .toBuffer()
  const encode = (quality: number) =>
    sharp(pixels, { raw: { width: spec.width, height, channels: 3 } })
      .withExif({
        IFD0: { Make: 'BenchCam', Model: `Model ${index}`, Software: 'vam bench' },
        IFD2: {
          DateTimeOriginal: PLACEHOLDER_DATE,
          OffsetTimeOriginal: '+01:00',
          ExposureTime: '1/250',
          FNumber: '28/10',
          ISOSpeedRatings: '200',
          FocalLength: '35/1',
          LensModel: 'Bench 35mm F2.8',
        },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: `${40 + index}/1 12/1 3000/100`,
          GPSLongitudeRef: 'E',
          GPSLongitude: `${2 + index}/1 20/1 1500/100`,
        },
      })
      .jpeg({ quality })
      .toBuffer()
  // Size grows with quality: bisect to the target.
  let lo = 50
  let hi = 98
  let best = await encode(hi)
  while (hi - lo > 1) {
    const mid = Math.round((lo + hi) / 2)
    const out = await encode(mid)
    if (out.length / 1e6 > spec.targetMB) hi = mid
    else lo = mid
    if (Math.abs(out.length / 1e6 - spec.targetMB) < Math.abs(best.length / 1e6 - spec.targetMB))
      best = out
  }
  return best
}

/** Generates (or reuses) the cached library; returns its root and file count. */
async function ensureLibrary(dir: string, files: number): Promise<{ root: string; bytes: number }> {
  const root = path.join(dir, `library-${files}`)
  const manifest = path.join(root, '.manifest.json')
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as {
      version: number
      files: number
      bytes: number
    }
    if (m.version === LIBRARY_VERSION && m.files === files) return { root, bytes: m.bytes }
  }
  rmSync(root, { recursive: true, force: true })
  mkdirSync(root, { recursive: true })
  console.log(`generating ${files} JPEGs in ${root} (cached for later runs)…`)
  const bases: { bytes: Buffer; dateAt: number }[] = []
  for (const [i, spec] of BASES.entries()) {
    const bytes = await makeBase(spec, i)
    const dateAt = bytes.indexOf(PLACEHOLDER_DATE, 0, 'latin1')
    if (dateAt < 0) throw new Error('placeholder date not found in generated EXIF')
    bases.push({ bytes, dateAt })
    console.log(`  base ${i}: ${(bytes.length / 1e6).toFixed(2)} MB`)
  }
  let total = 0
  const start = Date.UTC(2015, 0, 1)
  for (let i = 0; i < files; i++) {
    const base = bases[i % bases.length] as { bytes: Buffer; dateAt: number }
    const copy = Buffer.from(base.bytes)
    // A different capture time per file (one every 17 minutes), same length as the placeholder.
    const d = new Date(start + i * 17 * 60_000)
    const p = (n: number) => String(n).padStart(2, '0')
    const date = `${d.getUTCFullYear()}:${p(d.getUTCMonth() + 1)}:${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
    copy.write(date, base.dateAt, 'latin1')
    const folder = path.join(
      root,
      `folder-${String(Math.floor(i / FILES_PER_FOLDER)).padStart(3, '0')}`,
    )
    if (i % FILES_PER_FOLDER === 0) mkdirSync(folder, { recursive: true })
    writeFileSync(path.join(folder, `IMG_${String(i).padStart(6, '0')}.jpg`), copy)
    total += copy.length
  }
  writeFileSync(manifest, JSON.stringify({ version: LIBRARY_VERSION, files, bytes: total }))
  return { root, bytes: total }
}

function listFiles(root: string): string[] {
  const out: string[] = []
  for (const folder of readdirSync(root).sort()) {
    const dir = path.join(root, folder)
    if (!statSync(dir).isDirectory()) continue
    for (const name of readdirSync(dir).sort()) out.push(path.join(dir, name))
  }
  return out
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in ticks.
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

function ownCpuSeconds(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

function hasExiftool(): boolean {
  return spawnSync('exiftool', ['-ver'], { encoding: 'utf8' }).status === 0
}

/**
 * exiftool -fast -json over `files`, split across `processes` exiftool processes. Returns wall
 * seconds and the CPU seconds exiftool used (read from its parent shell's reaped-children times).
 */
async function runExiftool(
  files: readonly string[],
  processes: number,
  tmp: string,
): Promise<{ seconds: number; cpu: number }> {
  const chunks = Array.from({ length: processes }, (_, i) =>
    files.filter((_, j) => j % processes === i),
  )
  const t0 = performance.now()
  const cpus = await Promise.all(
    chunks.map(
      (chunk, i) =>
        new Promise<number>((resolve, reject) => {
          const argfile = path.join(tmp, `exiftool-args-${i}.txt`)
          writeFileSync(argfile, chunk.join('\n'))
          // The shell prints its own /proc stat after exiftool exits: cutime + cstime are
          // exiftool's CPU time.
          const script = `exiftool -fast -json -q -@ "$1" > /dev/null || exit 1; cat /proc/$$/stat`
          const child = spawn('sh', ['-c', script, 'sh', argfile], {
            stdio: ['ignore', 'pipe', 'inherit'],
          })
          let out = ''
          child.stdout.on('data', (d: Buffer) => (out += d.toString()))
          child.on('error', reject)
          child.on('exit', (code) => {
            if (code !== 0) return reject(new Error(`exiftool exited ${code}`))
            const fields = out.split(') ')[1]?.split(' ') ?? []
            // cutime and cstime: stat fields 16 and 17 (13 and 14 after the command name).
            resolve((Number(fields[13]) + Number(fields[14])) / 100)
          })
        }),
    ),
  )
  return { seconds: (performance.now() - t0) / 1000, cpu: cpus.reduce((a, b) => a + b, 0) }
}

/** 100,000 photo rows through the import repository, batched like the job (500 per transaction). */
async function insertRows(dir: string, n: number): Promise<{ seconds: number; cpu: number }> {
  const catalog = await openCatalog(path.join(dir, 'insert.sqlite'))
  try {
    const repo = new PhotoImportRepository(catalog.db)
    const importedAt = new Date().toISOString()
    const row = (i: number): PhotoImportRow => ({
      path: `/photos/${Math.floor(i / 500)}/IMG_${i}.jpg`,
      name: `IMG_${i}.jpg`,
      folder: `/photos/${Math.floor(i / 500)}`,
      size: 2_500_000 + i,
      mtimeMs: 1_600_000_000_000 + i,
      checksum: (i * 2654435761).toString(16).padStart(32, '0'),
      format: 'jpeg',
      mediaKind: 'image',
      rawFormat: null,
      width: 4000,
      height: 3000,
      orientation: 1,
      takenAt: `2020-01-01T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
      dateSource: 'exif-original',
      dateConfidence: 95,
      dateSuspicious: null,
      tzOffset: '+01:00',
      make: 'BenchCam',
      model: `Model ${i % 7}`,
      lens: 'Bench 35mm',
      iso: 200,
      exposureTime: 0.004,
      fNumber: 2.8,
      focalLength: 35,
      gpsLat: 40 + (i % 1000) / 1000,
      gpsLon: 2 + (i % 997) / 1000,
      gpsAlt: null,
      gpsSuspicious: null,
      geohash: `sp3e${(i % 100000).toString(32).padStart(8, '0')}`,
    })
    const t0 = performance.now()
    const c0 = ownCpuSeconds()
    const batch = catalog.db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) repo.upsertImported(row(i), importedAt)
    })
    for (let i = 0; i < n; i += 500) batch(i, Math.min(n, i + 500))
    return { seconds: (performance.now() - t0) / 1000, cpu: ownCpuSeconds() - c0 }
  } finally {
    catalog.close()
  }
}

export async function run(): Promise<void> {
  const files = Number(argValue('files') ?? 5000)
  const cacheDir = process.env.VAM_BENCH_DIR ?? path.join(os.tmpdir(), 'vam-bench-import-lib')
  const { root, bytes } = await ensureLibrary(cacheDir, files)
  const list = listFiles(root)
  const work = mkdtempSync(path.join(os.tmpdir(), 'vam-bench-import-'))
  const rows: Record<string, string | number>[] = []
  const load = os.loadavg()[0] ?? 0
  // On a shared machine wall time depends on what else runs; CPU time per file does not, so both
  // are reported, and the ratio is given both ways.
  console.log(`load average ${load.toFixed(1)} on ${os.availableParallelism()} cores`)
  try {
    // Warm the page cache equally for both contenders (the library may have been written long ago).
    execFileSync('sh', ['-c', `cat ${JSON.stringify(root)}/*/*.jpg > /dev/null`])

    const engine = await openEngine(path.join(work, 'catalog.sqlite'))
    const workers = engine.pool.size
    let importRate: number
    let importCpuPerFile: number
    try {
      // Start the workers before timing (process start-up is not per-file work) and learn their pids.
      const pids = new Set<number>()
      const pings = await Promise.all(
        Array.from({ length: workers }, () =>
          engine.pool.run('ping', { echo: 'warm', delayMs: 300 }),
        ),
      )
      for (const p of pings) pids.add(p.pid)
      const workerCpu = () => [...pids].reduce((sum, pid) => sum + cpuSecondsOf(pid), 0)
      const w0 = workerCpu()
      const m0 = ownCpuSeconds()
      const t0 = performance.now()
      const started = engine.jobs.start({ kind: 'import', root })
      const job = await engine.jobs.waitFor(started.id)
      const seconds = (performance.now() - t0) / 1000
      const mainCpu = ownCpuSeconds() - m0
      const wCpu = workerCpu() - w0
      if (job.state !== 'completed' || job.done !== list.length) {
        throw new Error(`import did not complete cleanly: ${JSON.stringify(job)}`)
      }
      importRate = list.length / seconds
      importCpuPerFile = (mainCpu + wCpu) / list.length
      rows.push({
        measure: 'import job (walk+checksum+EXIF+dates+GPS+insert)',
        files: list.length,
        seconds: +seconds.toFixed(2),
        'files/s': Math.round(importRate),
        'MB/s': Math.round(bytes / 1e6 / seconds),
        'cpu ms/file': +(importCpuPerFile * 1000).toFixed(2),
        processes: `main + ${workers} worker(s)`,
      })
      rows.push({
        measure: '  of which main process (walk, stat, SQLite)',
        files: '',
        seconds: '',
        'files/s': '',
        'MB/s': '',
        'cpu ms/file': +((mainCpu / list.length) * 1000).toFixed(2),
        processes: 'main',
      })
      rows.push({
        measure: '  of which workers (read, xxh128, sniff, EXIF, dates)',
        files: '',
        seconds: '',
        'files/s': '',
        'MB/s': '',
        'cpu ms/file': +((wCpu / list.length) * 1000).toFixed(2),
        processes: `${workers} worker(s)`,
      })
      // Re-import: every file unchanged, the incremental path.
      const t1 = performance.now()
      const again = await engine.jobs.waitFor(engine.jobs.start({ kind: 'import', root }).id)
      const reSeconds = (performance.now() - t1) / 1000
      rows.push({
        measure: 're-import (all unchanged, skipped)',
        files: again.skipped,
        seconds: +reSeconds.toFixed(2),
        'files/s': Math.round(again.skipped / reSeconds),
        'MB/s': '',
        'cpu ms/file': '',
        processes: 'main',
      })
    } finally {
      await engine.close()
    }

    if (process.argv.includes('--skip-exiftool')) {
      console.log('exiftool comparison skipped (--skip-exiftool)')
    } else if (!hasExiftool()) {
      console.log(
        'exiftool not found: install it with `sudo apt-get install -y libimage-exiftool-perl` ' +
          '(Debian/Ubuntu) to get the comparison; skipping it.',
      )
    } else {
      const exif = await runExiftool(list, workers, work)
      const exifRate = list.length / exif.seconds
      const exifCpuPerFile = exif.cpu / list.length
      rows.push({
        measure: `exiftool -fast -json (${workers} process${workers > 1 ? 'es' : ''})`,
        files: list.length,
        seconds: +exif.seconds.toFixed(2),
        'files/s': Math.round(exifRate),
        'MB/s': '',
        'cpu ms/file': +(exifCpuPerFile * 1000).toFixed(2),
        processes: `${workers} exiftool`,
      })
      rows.push({
        measure: 'ratio import / exiftool, wall files/s (goal ≥ 2)',
        files: '',
        seconds: '',
        'files/s': +(importRate / exifRate).toFixed(2),
        'MB/s': '',
        'cpu ms/file': '',
        processes: '',
      })
      rows.push({
        measure: 'ratio exiftool / import, CPU per file',
        files: '',
        seconds: '',
        'files/s': '',
        'MB/s': '',
        'cpu ms/file': +(exifCpuPerFile / importCpuPerFile).toFixed(2),
        processes: '',
      })
    }

    const insert = await insertRows(work, 100_000)
    rows.push({
      measure: 'insert 100,000 rows (500/transaction; goal ≤ 5 s)',
      files: 100_000,
      seconds: +insert.seconds.toFixed(2),
      'files/s': Math.round(100_000 / insert.seconds),
      'MB/s': '',
      'cpu ms/file': +((insert.cpu / 100_000) * 1000).toFixed(3),
      processes: `main (cpu ${insert.cpu.toFixed(2)} s)`,
    })
    rows.push({
      measure: `machine load average at start: ${load.toFixed(1)} (${os.availableParallelism()} cores)`,
      files: '',
      seconds: '',
      'files/s': '',
      'MB/s': '',
      'cpu ms/file': '',
      processes: '',
    })
    reportBench('import', rows)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
