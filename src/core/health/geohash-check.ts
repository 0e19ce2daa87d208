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
