import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ngeohash from 'ngeohash'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEngine, type Engine } from '../../src/core/engine'
import { createVamService } from '../../src/core/service'
import type { VamImpl } from '../../src/shared/contract'

describe('map service', () => {
  let dir: string
  let engine: Engine
  let sut: VamImpl['map']

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vam-map-'))
    engine = await openEngine(path.join(dir, 'catalog.sqlite'), { workerCount: 1 })
    const insert = engine.catalog.db.prepare(
      `INSERT INTO photos (path, folder, name, size, mtime_ms, taken_at, gps_lat, gps_lon, geohash, imported_at)
       VALUES (@path, '/p', @name, 1, 0, @taken, @lat, @lon, @geohash, '2024-01-01T00:00:00Z')`,
    )
    engine.catalog.db.transaction(() => {
      let n = 0
      const add = (lat: number, lon: number, taken: string) => {
        n++
        insert.run({
          path: `/p/${n}.jpg`,
          name: `${n}.jpg`,
          taken,
          lat,
          lon,
          geohash: ngeohash.encode(lat, lon, 12),
        })
      }
      // 500 around Paris, 2 in Tokyo, 1 in Auckland (east of the antimeridian view), 1 without GPS.
      for (let i = 0; i < 500; i++)
        add(48.85 + (i % 10) * 0.001, 2.35 + (i % 7) * 0.001, `2020-0${1 + (i % 9)}-01T10:00:00`)
      add(35.68, 139.69, '2019-05-01T00:00:00')
      add(35.69, 139.7, '2019-05-02T00:00:00')
      add(-36.85, 174.76, '2023-01-01T00:00:00')
      engine.catalog.db
        .prepare(
          `INSERT INTO photos (path, folder, name, size, mtime_ms, imported_at) VALUES ('/p/nogps.jpg', '/p', 'nogps.jpg', 1, 0, '2024-01-01T00:00:00Z')`,
        )
        .run()
    })()
    sut = createVamService(engine).map
  })

  afterAll(async () => {
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('clusters the world view by a short geohash prefix and draws small groups as markers', async () => {
    const view = await sut.clusters({ bounds: [-85, -180, 85, 180], zoom: 2 })
    expect(view.precision).toBe(1)
    expect(view.total).toBe(503)
    const paris = view.clusters.find((c) => c.count === 500)
    expect(paris?.geohash).toBe(ngeohash.encode(48.85, 2.35, 1))
    expect(paris?.lat).toBeCloseTo(48.8545, 3)
    // Tokyo's 2 and Auckland's 1 are small: individual markers, not clusters.
    expect(view.markers.map((m) => m.name).sort()).toEqual(['501.jpg', '502.jpg', '503.jpg'])
  })

  it('only counts photos inside the bounds, including across the antimeridian', async () => {
    const europe = await sut.clusters({ bounds: [40, -10, 55, 20], zoom: 5 })
    expect(europe.total).toBe(500)
    const pacific = await sut.clusters({ bounds: [-60, 170, 60, -170], zoom: 3 })
    expect(pacific.total).toBe(1)
  })

  it('applies grid filters (the timeline date range) and reports the date extent', async () => {
    const view = await sut.clusters({
      bounds: [-85, -180, 85, 180],
      zoom: 2,
      filter: { dateFrom: '2020-01-01', dateTo: '2020-03-31' },
    })
    expect(view.total).toBeGreaterThan(100)
    expect(view.total).toBeLessThan(500)
    const timeline = await sut.timeline({})
    expect(timeline).toEqual({
      from: '2019-05-01T00:00:00',
      to: '2023-01-01T00:00:00',
      geotagged: 503,
    })
  })

  it('a cluster prefix filters the grid to exactly its members', async () => {
    const view = await sut.clusters({ bounds: [40, -10, 55, 20], zoom: 8 })
    const biggest = [...view.clusters].sort((a, b) => b.count - a.count)[0]
    expect(biggest).toBeDefined()
    const page = await createVamService(engine).photos.page({
      filter: { geohashPrefix: biggest?.geohash },
      offset: 0,
      limit: 1,
    })
    expect(page.total).toBe(biggest?.count)
  })
})

describe('map service cache', () => {
  it('zoomed-in views read through the geohash index and agree with the cached grouping', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vam-map2-'))
    const engine = await openEngine(path.join(dir, 'catalog.sqlite'), { workerCount: 1 })
    try {
      const insert = engine.catalog.db.prepare(
        `INSERT INTO photos (path, folder, name, size, mtime_ms, gps_lat, gps_lon, geohash, imported_at)
         VALUES (@path, '/p', @path, 1, 0, @lat, @lon, @geohash, '2024-01-01T00:00:00Z')`,
      )
      for (let i = 0; i < 40; i++) {
        const lat = 48.8566 + (i % 8) * 0.0004
        const lon = 2.3522 + Math.floor(i / 8) * 0.0004
        insert.run({ path: `/p/${i}.jpg`, lat, lon, geohash: ngeohash.encode(lat, lon, 12) })
      }
      const map = createVamService(engine).map
      const close = await map.clusters({ bounds: [48.85, 2.34, 48.87, 2.37], zoom: 17 })
      expect(close.precision).toBeGreaterThan(6)
      expect(close.total).toBe(40)
      const mid = await map.clusters({ bounds: [48.85, 2.34, 48.87, 2.37], zoom: 12 })
      expect(mid.total).toBe(40)
      // A new photo shows up after a catalog change (the cache is dropped).
      insert.run({
        path: '/p/new.jpg',
        lat: 48.86,
        lon: 2.35,
        geohash: ngeohash.encode(48.86, 2.35, 12),
      })
      expect((await map.clusters({ bounds: [48.85, 2.34, 48.87, 2.37], zoom: 12 })).total).toBe(40)
      engine.events.emit('catalogChanged', { reason: 'test' })
      expect((await map.clusters({ bounds: [48.85, 2.34, 48.87, 2.37], zoom: 12 })).total).toBe(41)
    } finally {
      await engine.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
