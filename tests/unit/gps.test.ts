import { describe, expect, it } from 'vitest'
import {
  GEOHASH_PRECISION,
  decodeGeohash,
  geohashMatches,
  geohashOf,
  validateGps,
} from '../../src/core/analysis/gps'

describe(validateGps.name, () => {
  it('accepts a real position with a full-precision geohash', () => {
    const fix = validateGps(56.15599508333333, 10.208204783333333, 42.5)
    expect(fix.suspicious).toBeNull()
    expect(fix.lat).toBeCloseTo(56.155995, 6)
    expect(fix.alt).toBe(42.5)
    expect(fix.geohash).toHaveLength(GEOHASH_PRECISION)
    expect(fix.geohash?.startsWith('u1zr')).toBe(true)
  })

  it('no GPS at all is not suspicious', () => {
    expect(validateGps(undefined, undefined)).toEqual({
      lat: null,
      lon: null,
      alt: null,
      geohash: null,
      suspicious: null,
    })
  })

  it('flags null island and keeps it off the map', () => {
    expect(validateGps(0, 0)).toMatchObject({
      lat: 0,
      lon: 0,
      geohash: null,
      suspicious: 'null-island',
    })
  })

  it('drops out-of-range and non-numeric values', () => {
    expect(validateGps(91, 10)).toMatchObject({ lat: null, suspicious: 'out-of-range' })
    expect(validateGps(45, -180.5)).toMatchObject({ lon: null, suspicious: 'out-of-range' })
    expect(validateGps(Number.NaN, 10)).toMatchObject({ lat: null, suspicious: 'invalid' })
    expect(validateGps(45, undefined)).toMatchObject({ lat: null, suspicious: 'invalid' })
    expect(validateGps('abc', 3)).toMatchObject({ suspicious: 'invalid' })
  })

  it('keeps the boundaries and drops absurd altitudes', () => {
    expect(validateGps(-90, 180).suspicious).toBeNull()
    expect(validateGps(10, 10, 99_999).alt).toBeNull()
    expect(validateGps(10, 10, Number.POSITIVE_INFINITY).alt).toBeNull()
  })
})

describe(geohashOf.name, () => {
  it('matches known geohashes and round-trips', () => {
    // Reference values from the geohash definition (Niemeyer): 57.64911, 10.40744 → u4pruydqqvj.
    expect(geohashOf(57.64911, 10.40744, 11)).toBe('u4pruydqqvj')
    const { lat, lon } = decodeGeohash(geohashOf(-33.8688, 151.2093))
    expect(lat).toBeCloseTo(-33.8688, 5)
    expect(lon).toBeCloseTo(151.2093, 5)
  })

  it('checks stored hashes against coordinates', () => {
    const hash = geohashOf(48.8584, 2.2945)
    expect(geohashMatches(hash, 48.8584, 2.2945)).toBe(true)
    expect(geohashMatches(hash.slice(0, 5), 48.8584, 2.2945)).toBe(true)
    expect(geohashMatches(hash, 40.7, -74)).toBe(false)
  })
})
