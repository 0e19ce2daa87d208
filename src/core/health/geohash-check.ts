import { GEOHASH_PRECISION, geohashMatches, validateGps } from '../analysis/gps'

/** Geohash alphabet (base32 without a, i, l, o). */
const GEOHASH_RE = /^[0-9b-hjkmnp-z]+$/

/**
 * The geohash a row should have for its stored position, by the import's own rules (validateGps):
 * null without a valid position and for 0,0 (kept off the map), else full precision.
 */
export function expectedGeohash(lat: number | null, lon: number | null): string | null {
  if (lat === null || lon === null) return null
  return validateGps(lat, lon).geohash
}

export type GeohashState = 'ok' | 'missing' | 'orphan' | 'mismatch'

/**
 * Compares a stored geohash with the stored position by decoding it (through the same encoder at
 * the stored length): `missing` — a valid position without a geohash; `orphan` — a geohash without
 * a valid position; `mismatch` — a geohash that is malformed, not full precision, or whose cell
 * does not contain the position.
 */
export function geohashState(
  stored: string | null,
  lat: number | null,
  lon: number | null,
): GeohashState {
  const expected = expectedGeohash(lat, lon)
  if (expected === null) return stored === null ? 'ok' : 'orphan'
  if (stored === null) return 'missing'
  if (stored.length !== GEOHASH_PRECISION || !GEOHASH_RE.test(stored)) return 'mismatch'
  return geohashMatches(stored, lat as number, lon as number) ? 'ok' : 'mismatch'
}

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz'
const DECODE = new Int8Array(128).fill(-1)
for (let i = 0; i < BASE32.length; i++) DECODE[BASE32.charCodeAt(i)] = i
const CELLS = 2 ** 30

/**
 * `geohashState(stored, lat, lon) === 'mismatch'` for a row with a geohash and a valid position,
 * fast: health runs it on every geotagged row (a third of 100k) inside SQL. The stored hash is
 * decoded to its 30 longitude and 30 latitude bits with integer math and compared with the bits
 * of the position; only when they differ (rare) does the exact encoder decide, so cell-boundary
 * rounding can never report a false mismatch.
 */
export function isGeohashMismatch(stored: string, lat: number, lon: number): boolean {
  if (stored.length !== GEOHASH_PRECISION) return true
  let lonBits = 0
  let latBits = 0
  let even = true
  for (let i = 0; i < stored.length; i++) {
    const code = stored.charCodeAt(i)
    const value = code < 128 ? (DECODE[code] as number) : -1
    if (value < 0) return true
    for (let bit = 4; bit >= 0; bit--) {
      const b = (value >> bit) & 1
      if (even) lonBits = lonBits * 2 + b
      else latBits = latBits * 2 + b
      even = !even
    }
  }
  const expectedLon = Math.floor(((lon + 180) / 360) * CELLS)
  const expectedLat = Math.floor(((lat + 90) / 180) * CELLS)
  if (expectedLon === lonBits && expectedLat === latBits) return false
  return geohashState(stored, lat, lon) === 'mismatch'
}
