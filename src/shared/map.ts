/**
 * Map clustering rules shared by the engine (SQL GROUP BY geohash prefix) and the renderer.
 *
 * A geohash of precision p has ceil(5p/2) longitude bits, so a cell is 360°/2^bits wide; a web
 * map tile at zoom z shows 360°/2^z in 256 px. A cell is therefore 2^(8 + z − bits) px wide. We
 * pick the finest precision whose cells are still ≥ 64 px on screen (bits ≤ z + 2): clusters
 * never overlap much, and a screen holds at most a few hundred of them.
 */
export function geohashPrecisionForZoom(zoom: number): number {
  const z = Math.max(0, Math.floor(zoom))
  let precision = 1
  for (let p = 1; p <= 12; p++) {
    if (Math.ceil((5 * p) / 2) <= z + 2) precision = p
  }
  return precision
}

/** On-screen width in px of one geohash cell of `precision` at `zoom` (for tests and tuning). */
export function cellWidthPx(precision: number, zoom: number): number {
  return 2 ** (8 + zoom - Math.ceil((5 * precision) / 2))
}

/**
 * Normalises map bounds from the view (Leaflet longitudes can run past ±180 after panning round
 * the world) to [south, west, north, east] in range; west > east means the box crosses the
 * antimeridian.
 */
export function normaliseBounds(
  south: number,
  west: number,
  north: number,
  east: number,
): [number, number, number, number] {
  const s = Math.max(-90, Math.min(90, south))
  const n = Math.max(-90, Math.min(90, north))
  if (east - west >= 360) return [s, -180, n, 180]
  const wrap = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180
  const w = wrap(west)
  let e = wrap(east)
  // East exactly on the wrapped edge (e.g. 180 → −180) means the full right edge.
  if (e === -180 && east > west) e = 180
  return [s, w, n, e]
}
