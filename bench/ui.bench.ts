import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ngeohash from 'ngeohash'
import { chromium, type Page } from 'playwright-core'
import sharp from 'sharp'
import { CHROMIUM_PATH, chromiumLaunchOptions } from '../e2e/chromium-launch'
import { openCatalog } from '../src/core/catalog/open-catalog'
import { openEngine } from '../src/core/engine'
import { startWebHost } from '../src/server/web-host'
import { prngFloat } from '../tests/helpers/synthetic-hashes'
import { reportBench } from './report'

/**
 * The UI at 100,000 photos, in Debian's chromium against the web host:
 * - first grid page visible after load (goal ≤ 1 s),
 * - scrolling the grid top to bottom: long tasks > 50 ms (goal none) and the median frame
 *   interval (goal ≤ 20 ms),
 * - a filter change to new results on screen (goal ≤ 100 ms),
 * - map pans over 100k geotagged photos: moveend → clusters drawn (goal ≤ 100 ms each).
 * Rows are inserted directly with SQL (realistic values, geohashes); thumbnails are 8 shared
 * small files so the benchmark measures the UI, not the analyze stage.
 */

const PHOTOS = Number(process.env.VAM_BENCH_PHOTOS ?? 100_000)
const repo = path.resolve(import.meta.dirname, '..')
const CAMERAS = [
  ['Canon', 'EOS R6'],
  ['NIKON CORPORATION', 'NIKON Z 6'],
  ['SONY', 'ILCE-7M3'],
  ['Apple', 'iPhone 13'],
  ['FUJIFILM', 'X-T4'],
  ['Google', 'Pixel 7'],
] as const
/** Places photos cluster around (lat, lon): people shoot where they live and travel. */
const PLACES = [
  [48.85, 2.35],
  [51.5, -0.12],
  [40.71, -74.0],
  [35.68, 139.69],
  [-33.87, 151.21],
  [37.77, -122.42],
  [52.52, 13.4],
  [41.9, 12.5],
  [55.75, 37.62],
  [-22.9, -43.2],
  [19.43, -99.13],
  [28.61, 77.2],
  [1.35, 103.82],
  [30.04, 31.24],
  [-1.29, 36.82],
  [64.14, -21.94],
  [60.17, 24.94],
  [45.5, -73.57],
  [-34.6, -58.38],
  [39.9, 116.4],
] as const

export async function generateCatalog(file: string): Promise<void> {
  const catalog = await openCatalog(file)
  // Seeded, so every run benches the same catalog.
  const random = prngFloat(42)
  const insert = catalog.db.prepare(
    `INSERT INTO photos (path, folder, name, size, mtime_ms, checksum, media_kind, format, width, height,
       orientation, taken_at, date_source, date_confidence, make, model, iso, exposure_time, f_number,
       focal_length, gps_lat, gps_lon, geohash, imported_at)
     VALUES (@path, @folder, @name, @size, @mtime, @checksum, 'image', 'jpeg', 6000, 4000, 1, @taken,
       'exif-original', 95, @make, @model, @iso, @exposure, @f, @focal, @lat, @lon, @geohash, @imported)`,
  )
  const start = Date.parse('2014-01-01T00:00:00Z')
  const span = 10 * 365 * 86_400_000
  catalog.db.transaction(() => {
    for (let i = 0; i < PHOTOS; i++) {
      const taken = new Date(start + Math.floor((i / PHOTOS) * span + random() * 3_600_000))
      const year = taken.getUTCFullYear()
      const month = String(taken.getUTCMonth() + 1).padStart(2, '0')
      const folder = `/photos/${year}/${year}-${month}`
      const name = `IMG_${String(i).padStart(6, '0')}.JPG`
      const camera = CAMERAS[Math.floor(random() * CAMERAS.length)] ?? CAMERAS[0]
      const place = PLACES[Math.floor(random() * PLACES.length)] ?? PLACES[0]
      // Gaussian-ish spread of ~20 km around the place, a few far-flung strays.
      const spread = random() < 0.05 ? 20 : 0.2
      const lat = Math.max(-85, Math.min(85, place[0] + (random() + random() - 1) * spread))
      const lon = ((place[1] + (random() + random() - 1) * spread + 540) % 360) - 180
      insert.run({
        path: `${folder}/${name}`,
        folder,
        name,
        size: 2_000_000 + Math.floor(random() * 8_000_000),
        mtime: taken.getTime(),
        checksum: i.toString(16).padStart(16, '0'),
        taken: taken.toISOString().slice(0, 19),
        make: camera[0],
        model: camera[1],
        iso: [100, 200, 400, 800, 1600][Math.floor(random() * 5)] ?? 100,
        exposure: 1 / (30 + Math.floor(random() * 2000)),
        f: [1.8, 2.8, 4, 5.6, 8][Math.floor(random() * 5)] ?? 4,
        focal: 24 + Math.floor(random() * 100),
        lat,
        lon,
        geohash: ngeohash.encode(lat, lon, 12),
        imported: new Date(start + span + i * 1000).toISOString(),
      })
    }
  })()
  catalog.db.exec('ANALYZE')
  catalog.close()
}

async function sharedThumbnails(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true })
  const files: string[] = []
  for (let i = 0; i < 8; i++) {
    const file = path.join(dir, `shared-${i}.webp`)
    await sharp({
      create: {
        width: 256,
        height: 171,
        channels: 3,
        background: { r: 40 + i * 25, g: 120, b: 200 - i * 20 },
      },
    })
      .webp({ quality: 70 })
      .toFile(file)
    files.push(file)
  }
  return files
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length === 0
    ? NaN
    : sorted.length % 2
      ? (sorted[mid] ?? NaN)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

const round = (n: number) => Math.round(n * 10) / 10

/**
 * The few browser globals the in-page probes use. The bench is typechecked as Node code (no DOM
 * lib), so each probe reads them from `globalThis` through this shape.
 */
interface El {
  scrollTop: number
  readonly scrollHeight: number
  readonly clientHeight: number
  readonly dataset: Record<string, string | undefined>
  readonly value: string
  scrollTo(x: number, y: number): void
}
interface PageGlobals {
  readonly document: {
    querySelector(selector: string): El | null
    addEventListener(type: string, listener: () => void, options?: object): void
  }
  requestAnimationFrame(callback: (time: number) => void): number
  readonly PerformanceObserver: new (
    callback: (list: { getEntries(): { duration: number }[] }) => void,
  ) => { observe(options: object): void; disconnect(): void }
  readonly MutationObserver: new (callback: () => void) => {
    observe(target: El, options: object): void
    disconnect(): void
  }
  readonly location: { hash: string }
}

/** Scrolls the grid from top to bottom in `frames` animation frames, recording frames and long tasks. */
async function scrollGrid(page: Page, frames: number) {
  return page.evaluate(async (frameCount) => {
    const { document, requestAnimationFrame, PerformanceObserver } =
      globalThis as unknown as PageGlobals
    const longTasks: number[] = []
    const longTaskStarts: number[] = []
    const scrollStart = performance.now()
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        longTasks.push(entry.duration)
        longTaskStarts.push(
          Math.round((entry as unknown as { startTime: number }).startTime - scrollStart),
        )
      }
    })
    observer.observe({ type: 'longtask', buffered: false })
    const grid =
      document.querySelector('[data-testid=photo-grid] [role=grid]') ??
      document.querySelector('[data-testid=photo-grid] > div')
    if (!grid) throw new Error('grid scroller not found')
    const height = grid.scrollHeight - grid.clientHeight
    const stamps: number[] = []
    await new Promise<void>((resolve) => {
      let frame = 0
      const tick = (t: number) => {
        stamps.push(t)
        frame++
        grid.scrollTop = Math.round((frame / frameCount) * height)
        if (frame <= frameCount) requestAnimationFrame(tick)
        else resolve()
      }
      requestAnimationFrame(tick)
    })
    // Let the last long task (if any) be reported.
    await new Promise((r) => setTimeout(r, 300))
    observer.disconnect()
    const intervals = stamps.slice(1).map((t, i) => t - (stamps[i] ?? t))
    return {
      longTasks,
      longTaskStarts,
      intervals,
      height,
      reachedBottom: grid.scrollTop >= height - 2,
    }
  }, frames)
}

export async function run(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set VAM_CHROMIUM)`,
    )
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vam-bench-ui-'))
  const rows: Record<string, string | number>[] = []
  const catalogFile = path.join(dir, 'catalog.sqlite')
  try {
    console.log('building the renderer (dist-web/)')
    const build = spawnSync(
      process.execPath,
      [
        path.join(repo, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'vite.web.config.ts',
        '--logLevel',
        'warn',
      ],
      { cwd: repo, stdio: 'inherit' },
    )
    if (build.status !== 0) throw new Error('renderer build failed')

    const t0 = performance.now()
    await generateCatalog(catalogFile)
    rows.push({
      measure: `generate ${PHOTOS.toLocaleString()}-photo catalog (SQL)`,
      value: round((performance.now() - t0) / 1000),
      unit: 's',
      goal: '',
    })
    const thumbs = await sharedThumbnails(path.join(dir, 'thumbs'))

    const engine = await openEngine(catalogFile, { workerCount: 1 })
    const host = await startWebHost({
      engine,
      staticDir: path.join(repo, 'dist-web'),
      thumbnails: (_engine, id) => thumbs[id % thumbs.length] ?? null,
    })
    const browser = await chromium.launch(chromiumLaunchOptions())
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
      // tsx (esbuild keepNames) wraps named functions in __name(); the probes run in the page.
      await page.addInitScript({ content: 'globalThis.__name = (f) => f' })

      // 1. First grid page visible: navigation start → the first cells with photos in the DOM.
      const firstPage: number[] = []
      for (let i = 0; i < 3; i++) {
        await page.goto(i === 0 ? host.url : `http://127.0.0.1:${host.port}/`)
        await page.waitForSelector('[data-testid=grid-cell]')
        firstPage.push(await page.evaluate(() => performance.now()))
      }
      rows.push({
        measure: 'first grid page visible after load (median of 3)',
        value: round(median(firstPage)),
        unit: 'ms',
        goal: '≤ 1000',
      })

      // 2. Scroll top to bottom (fast: 600 frames over ~20,000 rows).
      // Let start-up work (sidebar, counts, event socket) finish: the scroll is measured alone.
      await page.waitForTimeout(2000)
      const scroll = await scrollGrid(page, 600)
      if (!scroll.reachedBottom) console.warn('warning: the scroll did not reach the bottom')
      if (scroll.longTasks.length > 0) {
        console.log(
          'long tasks during the scroll (ms after start: duration):',
          scroll.longTaskStarts
            .map((t, i) => `${t}: ${Math.round(scroll.longTasks[i] ?? 0)}`)
            .join(', '),
        )
      }
      rows.push({
        measure: 'scroll top→bottom: long tasks > 50 ms',
        value: scroll.longTasks.filter((d) => d > 50).length,
        unit: 'count',
        goal: '0',
      })
      rows.push({
        measure: 'scroll: longest long task',
        value: round(Math.max(0, ...scroll.longTasks)),
        unit: 'ms',
        goal: '≤ 50',
      })
      rows.push({
        measure: 'scroll: median frame interval',
        value: round(median(scroll.intervals)),
        unit: 'ms',
        goal: '≤ 20',
      })
      rows.push({
        measure: 'scroll: p95 frame interval',
        value: round(percentile(scroll.intervals, 95)),
        unit: 'ms',
        goal: '',
      })
      rows.push({
        measure: 'scroll: distance',
        value: Math.round(scroll.height / 1000),
        unit: 'k px',
        goal: '',
      })

      // 3. Filter change → new results on screen: change event → data-total changed → next frame.
      await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).document
          .querySelector('[data-testid=photo-grid] [role=grid]')
          ?.scrollTo(0, 0),
      )
      const cameras = await page.$$eval('select[aria-label=Camera] option', (opts) =>
        opts.map((o) => (o as unknown as El).value),
      )
      const filterTimes: number[] = []
      for (const camera of [...cameras.slice(1), '', ...cameras.slice(1, 3), '']) {
        const waiting = page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const { document, MutationObserver, requestAnimationFrame } =
                globalThis as unknown as PageGlobals
              const grid = document.querySelector('[data-testid=photo-grid]') as El
              let changeAt = 0
              document.addEventListener('change', () => (changeAt = performance.now()), {
                capture: true,
                once: true,
              })
              const observer = new MutationObserver(() => {
                if (!changeAt || grid.dataset.total === '') return
                observer.disconnect()
                requestAnimationFrame(() => resolve(performance.now() - changeAt))
              })
              observer.observe(grid, { attributes: true, attributeFilter: ['data-total'] })
            }),
        )
        await page.selectOption('select[aria-label=Camera]', camera)
        filterTimes.push(await waiting)
      }
      rows.push({
        measure: `filter change → new results (median of ${filterTimes.length})`,
        value: round(median(filterTimes)),
        unit: 'ms',
        goal: '≤ 100',
      })
      rows.push({
        measure: 'filter change: slowest',
        value: round(Math.max(...filterTimes)),
        unit: 'ms',
        goal: '',
      })

      // 4. Map pans: moveend → clusters fetched and drawn.
      await page.evaluate(() => {
        ;(globalThis as unknown as PageGlobals).location.hash = '#/map'
      })
      const map = page.locator('[data-testid=leaflet-map]')
      await map.waitFor()
      await page.waitForFunction(
        () =>
          Number(
            (globalThis as unknown as PageGlobals).document.querySelector(
              '[data-testid=leaflet-map]',
            )?.dataset.updates ?? 0,
          ) > 0,
      )
      const box = await map.boundingBox()
      if (!box) throw new Error('map not visible')
      const cx = box.x + box.width / 2
      const cy = box.y + box.height / 2
      const panTimes: number[] = []
      const clusterCounts: number[] = []
      const pan = async (dx: number, dy: number) => {
        const before = Number(await map.getAttribute('data-updates'))
        await page.mouse.move(cx, cy)
        await page.mouse.down()
        await page.mouse.move(cx + dx, cy + dy, { steps: 4 })
        await page.mouse.up()
        await page.waitForFunction(
          (n) =>
            Number(
              (globalThis as unknown as PageGlobals).document.querySelector(
                '[data-testid=leaflet-map]',
              )?.dataset.updates ?? 0,
            ) > n,
          before,
        )
        panTimes.push(Number(await map.getAttribute('data-update-ms')))
        clusterCounts.push(
          Number(await map.getAttribute('data-clusters')) +
            Number(await map.getAttribute('data-markers')),
        )
      }
      for (const [dx, dy] of [
        [300, 0],
        [-250, 100],
        [0, -150],
        [-300, 0],
        [200, 50],
      ] as const)
        await pan(dx, dy)
      // Zoom in on the biggest cluster, step by step, and pan there too (finer geohash prefixes).
      for (let z = 0; z < 4; z++) {
        const clusters = await page.locator('.map-cluster').evaluateAll((els) =>
          els.map((e) => {
            const r = (
              e as unknown as {
                getBoundingClientRect(): { x: number; y: number; width: number; height: number }
              }
            ).getBoundingClientRect()
            const text = (e as unknown as { textContent: string | null }).textContent ?? '0'
            const count = text.endsWith('k') ? Number(text.slice(0, -1)) * 1000 : Number(text)
            return { x: r.x + r.width / 2, y: r.y + r.height / 2, count }
          }),
        )
        const target = clusters.sort((a, b) => b.count - a.count)[0] ?? { x: cx, y: cy }
        const before = Number(await map.getAttribute('data-updates'))
        await page.mouse.move(target.x, target.y)
        await page.mouse.wheel(0, -300)
        await page.waitForFunction(
          (n) =>
            Number(
              (globalThis as unknown as PageGlobals).document.querySelector(
                '[data-testid=leaflet-map]',
              )?.dataset.updates ?? 0,
            ) > n,
          before,
        )
        await page.waitForTimeout(300)
      }
      for (const [dx, dy] of [
        [250, 0],
        [-200, 120],
        [0, -200],
      ] as const)
        await pan(dx, dy)
      console.log('map pans (ms):', panTimes.join(', '), '— items drawn:', clusterCounts.join(', '))
      rows.push({
        measure: `map pan → clusters drawn (median of ${panTimes.length})`,
        value: round(median(panTimes)),
        unit: 'ms',
        goal: '≤ 100',
      })
      rows.push({
        measure: 'map pan: slowest',
        value: round(Math.max(...panTimes)),
        unit: 'ms',
        goal: '≤ 100',
      })
      rows.push({
        measure: 'map: most items drawn in one view',
        value: Math.max(...clusterCounts),
        unit: 'count',
        goal: '',
      })
      await snapBench(page, dir)
    } finally {
      await browser.close()
      await host.close()
      await engine.close()
    }
    reportBench('ui', rows)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function snapBench(page: Page, _dir: string): Promise<void> {
  const out = path.join(repo, 'bench', 'results')
  mkdirSync(out, { recursive: true })
  await page.screenshot({ path: path.join(out, 'ui-map.png') })
}
