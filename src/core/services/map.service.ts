import ngeohash from 'ngeohash'
import type { ServiceImpl } from '../../shared/contract/define'
import type { MapCluster, MapMarker, mapContract } from '../../shared/contract/map'
import type { PhotoFilter } from '../../shared/contract/photos'
import { geohashPrecisionForZoom } from '../../shared/map'
import {
  MapRepository,
  type CellAggregateRow,
  type ClusterRow,
} from '../catalog/repositories/map.repository'
import type { Engine } from '../engine'

/** A cluster this small is drawn as its photos' own markers. */
export const SMALL_CLUSTER = 3
/** Never more individual markers than this in one view; beyond it small cells stay clusters. */
export const MAX_MARKERS = 300
/**
 * Precision of the cached per-cell sums (cells ≈ 1.2 × 0.6 km): views up to zoom 15 are grouped
 * from the cache in a few ms; closer views read their few cells through the geohash index.
 */
export const CACHE_PRECISION = 6
/** Distinct filters (timeline ranges, cameras) whose cell sums are kept. */
const CACHE_ENTRIES = 4

type Bounds = readonly [number, number, number, number]

function inBounds(lat: number, lon: number, [south, west, north, east]: Bounds): boolean {
  if (lat < south || lat > north) return false
  return west <= east ? lon >= west && lon <= east : lon >= west || lon <= east
}

/** Groups cached cell sums to `precision` inside the bounds (cells placed at their mean). */
export function groupCells(
  cells: readonly CellAggregateRow[],
  precision: number,
  bounds: Bounds,
): ClusterRow[] {
  const groups = new Map<
    string,
    { count: number; sumLat: number; sumLon: number; sample: number }
  >()
  for (const c of cells) {
    if (!inBounds(c.sumLat / c.count, c.sumLon / c.count, bounds)) continue
    const key = c.cell.slice(0, precision)
    const g = groups.get(key)
    if (g) {
      g.count += c.count
      g.sumLat += c.sumLat
      g.sumLon += c.sumLon
      if (c.sample < g.sample) g.sample = c.sample
    } else {
      groups.set(key, { count: c.count, sumLat: c.sumLat, sumLon: c.sumLon, sample: c.sample })
    }
  }
  return [...groups].map(([cell, g]) => ({
    cell,
    count: g.count,
    lat: g.sumLat / g.count,
    lon: g.sumLon / g.count,
    sample: g.sample,
  }))
}

/** Cells of `precision` covering the bounds (for index range reads of zoomed-in views). */
function coveringCells([south, west, north, east]: Bounds, precision: number): string[] {
  if (west <= east) return ngeohash.bboxes(south, west, north, east, precision)
  return [
    ...ngeohash.bboxes(south, west, north, 180, precision),
    ...ngeohash.bboxes(south, -180, north, east, precision),
  ]
}

export function createMapService(engine: Engine): ServiceImpl<typeof mapContract> {
  const repo = new MapRepository(engine.catalog.db)
  const cache = new Map<string, CellAggregateRow[]>()
  // Any catalog change (import batch, geohash repair, resolution) may move or remove photos.
  engine.events.on('catalogChanged', () => cache.clear())

  const cellsFor = (filter: PhotoFilter | undefined): CellAggregateRow[] => {
    const key = JSON.stringify(filter ?? {})
    let cells = cache.get(key)
    if (cells) {
      cache.delete(key)
    } else {
      cells = repo.cellAggregates(CACHE_PRECISION, filter)
      while (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string)
    }
    cache.set(key, cells)
    return cells
  }

  return {
    clusters: ({ bounds, zoom, filter }) => {
      const precision = geohashPrecisionForZoom(zoom)
      const rows =
        precision <= CACHE_PRECISION
          ? groupCells(cellsFor(filter), precision, bounds)
          : coveringCells(bounds, CACHE_PRECISION).flatMap((cell) =>
              repo.clustersInCell(cell, bounds, precision, filter),
            )
      const clusters: MapCluster[] = []
      const markers: MapMarker[] = []
      let total = 0
      for (const row of rows) {
        total += row.count
        if (row.count <= SMALL_CLUSTER && markers.length + row.count <= MAX_MARKERS) {
          markers.push(...repo.cellMembers(row.cell, bounds, row.count, filter))
        } else {
          clusters.push({
            geohash: row.cell,
            count: row.count,
            lat: row.lat,
            lon: row.lon,
            samplePhotoId: row.sample,
          })
        }
      }
      return { precision, clusters, markers, total }
    },
    timeline: ({ filter }) => repo.timeline(filter),
  }
}
