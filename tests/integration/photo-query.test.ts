import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openCatalog } from '../../src/core/catalog/open-catalog'
import { PhotoRepository } from '../../src/core/catalog/repositories/photo.repository'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

/** A catalog of `n` photos; photo i has quality score i * 10 except the last, never analysed. */
async function catalogWithScores(n: number) {
  const catalog = await openCatalog(path.join(tempDir(), 'c.sqlite'))
  const insertPhoto = catalog.db.prepare(
    `INSERT INTO photos (path, folder, name, size, mtime_ms, imported_at, taken_at)
     VALUES (?, '/p', ?, ?, 1, '2026-01-01', ?)`,
  )
  const insertQuality = catalog.db.prepare(
    `INSERT INTO quality (photo_id, score, sharpness, exposure, clipped_high, clipped_low,
       mean_luminance, noise, resolution, parts, explanation, version, computed_at)
     VALUES (?, ?, 0, 0, 0, 0, 0, 0, 0, '{}', '', 1, '')`,
  )
  for (let i = 1; i <= n; i++) {
    const id = Number(insertPhoto.run(`/p/${i}.jpg`, `${i}.jpg`, i, `2020-01-${String(i).padStart(2, '0')}T00:00:00`).lastInsertRowid)
    if (i < n) insertQuality.run(id, i * 10)
  }
  return catalog
}

describe(PhotoRepository.name, () => {
  it('sorts by pixel quality, unanalysed photos lowest', async () => {
    const catalog = await catalogWithScores(6)
    const repo = new PhotoRepository(catalog.db)
    const best = repo.page({ offset: 0, limit: 10, sort: 'quality', descending: true })
    expect(best.items.map((p) => p.name)).toEqual(['5.jpg', '4.jpg', '3.jpg', '2.jpg', '1.jpg', '6.jpg'])
    const worst = repo.page({ offset: 0, limit: 2, sort: 'quality' })
    expect(worst.items.map((p) => p.name)).toEqual(['6.jpg', '1.jpg'])
    // Pages that cross from scored to unscored photos, with and without a filter.
    const across = repo.page({ offset: 4, limit: 2, sort: 'quality', descending: true })
    expect(across.items.map((p) => p.name)).toEqual(['1.jpg', '6.jpg'])
    const filtered = repo.page({
      offset: 1,
      limit: 10,
      sort: 'quality',
      descending: true,
      filter: { dateFrom: '2020-01-03T00:00:00' },
    })
    expect(filtered.total).toBe(4)
    expect(filtered.items.map((p) => p.name)).toEqual(['4.jpg', '3.jpg', '6.jpg'])
    catalog.close()
  })

  it('filters by a quality band, combined with other filters', async () => {
    const catalog = await catalogWithScores(9)
    const repo = new PhotoRepository(catalog.db)
    const band = repo.page({ offset: 0, limit: 50, filter: { qualityMin: 30, qualityMax: 60 } })
    expect(band.total).toBe(4)
    expect(band.items.map((p) => p.name).sort()).toEqual(['3.jpg', '4.jpg', '5.jpg', '6.jpg'])
    const combined = repo.page({
      offset: 0,
      limit: 50,
      filter: { qualityMin: 30, dateTo: '2020-01-04T23:59:59' },
    })
    expect(combined.items.map((p) => p.name).sort()).toEqual(['3.jpg', '4.jpg'])
    catalog.close()
  })
})
