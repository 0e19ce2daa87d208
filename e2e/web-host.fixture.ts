import { test as base, expect, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'

const repo = path.resolve(import.meta.dirname, '..')
export const SCREENSHOTS = path.join(repo, 'test-results', 'screenshots')

/** A running `vam serve` on a temp catalog, with a temp copy of the fixture photos. */
export interface HostFixture {
  readonly url: string
  readonly origin: string
  readonly token: string
  readonly dir: string
  readonly photosDir: string
  /** Photos the folder holds (fixtures + generated). */
  readonly photoCount: number
  /** Calls the contract over HTTP with the token (test setup and checks). */
  call<T = unknown>(service: string, method: string, input?: unknown): Promise<T>
}

/**
 * Geotagged JPEGs, all north and east: 4 around Paris (a cluster on the map) and 1 in Tokyo (a
 * single marker). Latitude and longitude in degrees, minutes, seconds; a base colour each.
 */
const GEO_PHOTOS = [
  { name: 'geo_paris_1.jpg', lat: [48, 51, 0], lon: [2, 21, 0], rgb: [200, 60, 60] },
  { name: 'geo_paris_2.jpg', lat: [48, 52, 0], lon: [2, 20, 0], rgb: [60, 200, 60] },
  { name: 'geo_paris_3.jpg', lat: [48, 50, 0], lon: [2, 22, 0], rgb: [60, 60, 200] },
  { name: 'geo_paris_4.jpg', lat: [48, 51, 30], lon: [2, 21, 30], rgb: [200, 200, 60] },
  { name: 'geo_tokyo_1.jpg', lat: [35, 40, 0], lon: [139, 42, 0], rgb: [60, 200, 200] },
] as const

async function writeGeoPhotos(dir: string): Promise<void> {
  for (const [i, g] of GEO_PHOTOS.entries()) {
    // Gradients differ per photo so perceptual hashes never make them duplicates of each other.
    const width = 320
    const height = 240
    const pixels = Buffer.alloc(width * height * 3)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const o = (y * width + x) * 3
        const wave = Math.sin((x * (i + 1)) / 17 + (y * (5 - i)) / 23) * 60
        pixels[o] = Math.max(0, Math.min(255, g.rgb[0] + wave))
        pixels[o + 1] = Math.max(0, Math.min(255, g.rgb[1] - wave))
        pixels[o + 2] = Math.max(0, Math.min(255, g.rgb[2] + (x % 40)))
      }
    }
    const dms = (v: readonly number[]) => v.map((n) => `${n}/1`).join(' ')
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 85 })
      .withExif({
        IFD0: { Make: 'E2ECam', Model: 'Geo 1' },
        IFD2: { DateTimeOriginal: `2021:06:0${i + 1} 10:00:00` },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: dms(g.lat),
          GPSLongitudeRef: 'E',
          GPSLongitude: dms(g.lon),
        },
      })
      .toFile(path.join(dir, g.name))
  }
}

/**
 * A burst: three frames from one camera body one second apart, distinct scenes (so they are not
 * near duplicates), the first sharp and the others blurred (so the best pick is clear).
 */
async function writeBurst(dir: string): Promise<void> {
  const width = 400
  const height = 300
  for (let i = 0; i < 3; i++) {
    const pixels = Buffer.alloc(width * height * 3)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const o = (y * width + x) * 3
        const v =
          i === 0
            ? (Math.floor(x / 8) + Math.floor(y / 8)) % 2
            : i === 1
              ? Math.floor(x / 20) % 2
              : Math.floor(Math.hypot(x - 200, y - 150) / 15) % 2
        pixels[o] = v ? 230 : 30
        pixels[o + 1] = v ? 200 - i * 40 : 60
        pixels[o + 2] = v ? 40 + i * 80 : 90
      }
    }
    let image = sharp(pixels, { raw: { width, height, channels: 3 } })
    if (i > 0) image = image.blur(6)
    await image
      .jpeg({ quality: 90 })
      .withExif({
        IFD0: { Make: 'E2ECam', Model: 'Burst 9' },
        IFD2: { DateTimeOriginal: `2022:07:14 12:00:0${i}` },
      })
      .toFile(path.join(dir, `burst_${i + 1}.jpg`))
  }
}

/** Starts `vam serve` from source on a fresh catalog and waits for its URL. */
async function startServe(catalog: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      path.join(repo, 'node_modules/tsx/dist/cli.mjs'),
      'src/cli/index.ts',
      '--catalog',
      catalog,
      'serve',
      '--port',
      '0',
    ],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } },
  )
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`vam serve did not start:\n${stderr}`)), 60_000)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const match = /served at (http:\/\/\S+)/.exec(out)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.on('exit', (code) => reject(new Error(`vam serve exited ${code}:\n${stderr}`)))
  })
  return { child, url }
}

export const test = base.extend<{ jobDiagnostics: void }, { host: HostFixture }>({
  // On a failure, the jobs as the engine sees them (state, counters, errors): a job stuck
  // queued or running behind another is otherwise invisible in the report.
  jobDiagnostics: [
    async ({ host }, use, testInfo) => {
      await use()
      if (testInfo.status === testInfo.expectedStatus) return
      const jobs = await host.call('jobs', 'list', { limit: 50 }).catch((e: unknown) => String(e))
      const body = JSON.stringify(jobs, null, 2)
      await testInfo.attach('jobs.json', { body, contentType: 'application/json' })
      console.error(`jobs at failure of "${testInfo.title}":\n${body}`)
    },
    { auto: true },
  ],
  host: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'vam-e2e-'))
      const photosDir = path.join(dir, 'photos')
      mkdirSync(photosDir)
      const fixtures = path.join(repo, 'tests/fixtures/photos')
      for (const f of readdirSync(fixtures))
        copyFileSync(path.join(fixtures, f), path.join(photosDir, f))
      await writeGeoPhotos(photosDir)
      await writeBurst(photosDir)
      // A duplicate group for the review spec: a byte copy and a 50% resized copy of one photo.
      const kite = path.join(photosDir, 'kde_Kite.jpg')
      copyFileSync(kite, path.join(photosDir, 'kde_Kite_copy.jpg'))
      const meta = await sharp(kite).metadata()
      await sharp(kite)
        .resize(Math.round((meta.width ?? 800) / 2))
        .jpeg({ quality: 90 })
        .toFile(path.join(photosDir, 'kde_Kite_small.jpg'))
      const { child, url } = await startServe(path.join(dir, 'catalog.sqlite'))
      const parsed = new URL(url)
      const token = parsed.searchParams.get('token') ?? ''
      const call = async <T>(service: string, method: string, input: unknown = {}): Promise<T> => {
        const res = await fetch(`${parsed.origin}/api/${service}/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-vam-token': token },
          body: JSON.stringify(input),
        })
        const body = (await res.json()) as T
        if (!res.ok) throw new Error(`${service}.${method}: ${JSON.stringify(body)}`)
        return body
      }
      await use({
        url,
        origin: parsed.origin,
        token,
        dir,
        photosDir,
        photoCount: readdirSync(photosDir).length,
        call,
      })
      child.kill('SIGTERM')
      await new Promise((resolve) => {
        const t = setTimeout(resolve, 5000)
        child.once('exit', () => {
          clearTimeout(t)
          resolve(undefined)
        })
      })
      rmSync(dir, { recursive: true, force: true })
    },
    { scope: 'worker' },
  ],
})

export { expect }

/** Saves a full-window screenshot of the current page under test-results/screenshots/. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) })
}

/** Waits until a job of `kind` is no longer queued/running; returns its final state. */
export async function waitForJob(
  host: HostFixture,
  kind: string,
  timeoutMs = 90_000,
): Promise<string> {
  const started = Date.now()
  for (;;) {
    const jobs = await host.call<{ kind: string; state: string }[]>('jobs', 'list', { limit: 20 })
    const job = jobs.find((j) => j.kind === kind)
    if (job && !['queued', 'running', 'paused'].includes(job.state)) return job.state
    if (Date.now() - started > timeoutMs) throw new Error(`job ${kind} still ${job?.state}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/**
 * Imports the fixture folder through the API when the catalog does not hold it yet (specs other
 * than the library's, which imports through the UI, and any spec after a worker restart).
 */
export async function ensureImported(host: HostFixture): Promise<void> {
  const info = await host.call<{ photoCount: number }>('catalog', 'info')
  if (info.photoCount >= host.photoCount) return
  await host.call('jobs', 'start', { params: { kind: 'import', root: host.photosDir } })
  await waitForJob(host, 'import')
}
