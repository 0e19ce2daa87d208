import type { ServiceImpl } from '../../shared/contract/define'
import type { MapCluster, MapMarker, mapContract } from '../../shared/contract/map'
import { geohashPrecisionForZoom } from '../../shared/map'
import { MapRepository } from '../catalog/repositories/map.repository'
import type { Engine } from '../engine'

/** A cluster this small is drawn as its photos' own markers. */
export const SMALL_CLUSTER = 3
/** Never more individual markers than this in one view; beyond it small cells stay clusters. */
export const MAX_MARKERS = 300

export function createMapService(engine: Engine): ServiceImpl<typeof mapContract> {
  const repo = new MapRepository(engine.catalog.db)
  return {
    clusters: ({ bounds, zoom, filter }) => {
      const precision = geohashPrecisionForZoom(zoom)
      const rows = repo.clusters(bounds, precision, filter)
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
