import { describe, expect, it } from 'vitest'
import { cellWidthPx, geohashPrecisionForZoom, normaliseBounds } from '../../src/shared/map'

describe(geohashPrecisionForZoom.name, () => {
  it('keeps clusters at least 64 px wide and at most a few hundred px at every zoom', () => {
    for (let zoom = 0; zoom <= 22; zoom++) {
      const p = geohashPrecisionForZoom(zoom)
      const px = cellWidthPx(p, zoom)
      if (zoom >= 1) expect(px, `zoom ${zoom}`).toBeGreaterThanOrEqual(64)
      if (p < 12) expect(px, `zoom ${zoom}`).toBeLessThanOrEqual(256)
    }
  })

  it('grows with zoom and stays within geohash precision 1–12', () => {
    let last = 0
    for (let zoom = 0; zoom <= 40; zoom++) {
      const p = geohashPrecisionForZoom(zoom)
      expect(p).toBeGreaterThanOrEqual(last)
      expect(p).toBeGreaterThanOrEqual(1)
      expect(p).toBeLessThanOrEqual(12)
      last = p
    }
    expect(geohashPrecisionForZoom(0)).toBe(1)
    expect(geohashPrecisionForZoom(3)).toBe(2)
    expect(geohashPrecisionForZoom(6)).toBe(3)
    expect(geohashPrecisionForZoom(18)).toBe(8)
  })
})

describe(normaliseBounds.name, () => {
  it('wraps longitudes past ±180 and clamps latitudes', () => {
    expect(normaliseBounds(-95, 170, 95, 200)).toEqual([-90, 170, 90, -160])
    expect(normaliseBounds(10, -200, 20, -170)).toEqual([10, 160, 20, -170])
  })
  it('a view wider than the world is the whole world', () => {
    expect(normaliseBounds(-80, -300, 80, 400)).toEqual([-80, -180, 80, 180])
  })
  it('leaves ordinary bounds alone', () => {
    expect(normaliseBounds(40, -10, 50, 10)).toEqual([40, -10, 50, 10])
    expect(normaliseBounds(40, 0, 50, 180)).toEqual([40, 0, 50, 180])
  })
})
