import ngeohash from 'ngeohash'

/**
 * GPS sanity and geohash. Pure.
 *
 * - Non-numbers, NaN/Infinity and out-of-range values are dropped (coordinates null) and flagged:
 *   they cannot be placed on a map and would poison clustering.
 * - 0,0 ("null island") is kept as read but flagged `null-island` and gets NO geohash: receivers
 *   write it when they have no fix, and a geohash would pile those photos up in the Gulf of Guinea
 *   on the map. The health page lists them for review.
 * - The geohash is stored at full precision (12 chars, ~3.7 cm × 1.9 cm); map clustering uses its
 *   prefixes, so one index serves every zoom level.
 */

export const GEOHASH_PRECISION = 12

export type GpsSuspicion = 'invalid' | 'out-of-range' | 'null-island'

export interface GpsFix {
  readonly lat: number | null
  readonly lon: number | null
  readonly alt: number | null
  readonly geohash: string | null
  readonly suspicious: GpsSuspicion | null
}

export const NO_GPS: GpsFix = { lat: null, lon: null, alt: null, geohash: null, suspicious: null }

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null
  const n = typeof value === 'number' ? value : Number(value)
  return n
}

/** Validates a position; `lat`/`lon` may come straight from exifr (numbers, strings, undefined). */
export function validateGps(lat: unknown, lon: unknown, alt?: unknown): GpsFix {
  const la = toNumber(lat)
  const lo = toNumber(lon)
  if (la === null && lo === null) return NO_GPS
  if (la === null || lo === null || !Number.isFinite(la) || !Number.isFinite(lo)) {
    return { ...NO_GPS, suspicious: 'invalid' }
  }
  if (Math.abs(la) > 90 || Math.abs(lo) > 180) return { ...NO_GPS, suspicious: 'out-of-range' }
  const altitude = validAltitude(toNumber(alt))
  if (la === 0 && lo === 0) {
    return { lat: 0, lon: 0, alt: altitude, geohash: null, suspicious: 'null-island' }
  }
  return { lat: la, lon: lo, alt: altitude, geohash: geohashOf(la, lo), suspicious: null }
}

/** Metres; below the Dead Sea shore or above airliners is a broken value, not a place. */
function validAltitude(alt: number | null): number | null {
  if (alt === null || !Number.isFinite(alt)) return null
  return alt >= -1000 && alt <= 20_000 ? alt : null
}

export function geohashOf(lat: number, lon: number, precision = GEOHASH_PRECISION): string {
  return ngeohash.encode(lat, lon, precision)
}

/** The cell centre of a geohash (for consistency checks: a stored hash must decode near its point). */
export function decodeGeohash(hash: string): { lat: number; lon: number } {
  const { latitude, longitude } = ngeohash.decode(hash)
  return { lat: latitude, lon: longitude }
}

/**
 * Whether a stored geohash agrees with stored coordinates (the seed catalog's geohash column
 * drifted from its GPS columns; health counts disagreements).
 */
export function geohashMatches(hash: string, lat: number, lon: number): boolean {
  if (hash.length === 0) return false
  return geohashOf(lat, lon, hash.length) === hash
}
