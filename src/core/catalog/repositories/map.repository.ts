import type { Database } from 'better-sqlite3'
import type { PhotoFilter } from '../../../shared/contract/photos'
import { filterClause } from './photo.repository'

export interface ClusterRow {
  cell: string
  count: number
  lat: number
  lon: number
  sample: number
}

export interface MarkerRow {
  id: number
  name: string
  lat: number
  lon: number
}

type Bounds = readonly [number, number, number, number]

/** A piece of WHERE clause with its named parameters. */
interface Clause {
  readonly sql: string
  readonly params: Record<string, unknown>
}

/** The grid's filter without its own place filters: the map shows its bounds, not a prior click. */
function mapFilter(filter: PhotoFilter | undefined): Clause {
  if (!filter) return { sql: '', params: {} }
  const { bbox: _bbox, geohashPrefix: _prefix, ...rest } = filter
  const { sql, params } = filterClause(rest)
  return { sql: sql ? `AND ${sql.replace(/^WHERE /, '')}` : '', params }
}

function boundsClause([south, west, north, east]: Bounds): Clause {
  const lon =
    west <= east
      ? 'p.gps_lon BETWEEN @west AND @east'
      : '(p.gps_lon >= @west OR p.gps_lon <= @east)'
  return {
    sql: `p.gps_lat BETWEEN @south AND @north AND ${lon}`,
    params: { south, west, north, east },
  }
}

/** One geohash cell and everything inside it: a range of the geohash index. */
function cellClause(cell: string): Clause {
  return { sql: 'p.geohash >= @low AND p.geohash < @high', params: { low: cell, high: `${cell}~` } }
}

/** Every geotagged row. */
const GEOTAGGED: Clause = { sql: 'p.geohash IS NOT NULL', params: {} }

/** Per-cell sums at a fixed precision: what the map service caches and re-groups per view. */
export interface CellAggregateRow {
  cell: string
  count: number
  sumLat: number
  sumLon: number
  sample: number
}

/** Map clustering queries over geotagged photos. */
export class MapRepository {
  constructor(private readonly db: Database) {}

  /**
   * Every geotagged photo summed per geohash cell of `precision`, in one pass. The service keeps
   * the result and groups it for any view at a coarser precision without touching SQLite again.
   */
  cellAggregates(precision: number, filter?: PhotoFilter): CellAggregateRow[] {
    const f = mapFilter(filter)
    return this.db
      .prepare(
        `SELECT substr(p.geohash, 1, @precision) AS cell, COUNT(*) AS count,
                SUM(p.gps_lat) AS sumLat, SUM(p.gps_lon) AS sumLon, MIN(p.id) AS sample
         FROM photos p
         WHERE p.geohash IS NOT NULL AND p.gps_lat IS NOT NULL AND p.gps_lon IS NOT NULL ${f.sql}
         GROUP BY cell`,
      )
      .all({ ...f.params, precision }) as CellAggregateRow[]
  }

  /**
   * Clusters inside one geohash cell (a range of the geohash index), for zoomed-in views: only
   * that cell's rows are read.
   */
  clustersInCell(
    cell: string,
    bounds: Bounds,
    precision: number,
    filter?: PhotoFilter,
  ): ClusterRow[] {
    return this.clusterRows(cellClause(cell), bounds, precision, filter)
  }

  /**
   * Clusters by geohash prefix inside the bounds: one row per cell with its count, mean position
   * and a sample id. The work is one pass over the geotagged rows in view, grouped in SQLite.
   */
  clusters(bounds: Bounds, precision: number, filter?: PhotoFilter): ClusterRow[] {
    return this.clusterRows(GEOTAGGED, bounds, precision, filter)
  }

  private clusterRows(
    rows: Clause,
    bounds: Bounds,
    precision: number,
    filter: PhotoFilter | undefined,
  ): ClusterRow[] {
    const b = boundsClause(bounds)
    const f = mapFilter(filter)
    return this.db
      .prepare(
        `SELECT substr(p.geohash, 1, @precision) AS cell, COUNT(*) AS count,
                AVG(p.gps_lat) AS lat, AVG(p.gps_lon) AS lon, MIN(p.id) AS sample
         FROM photos p
         WHERE ${rows.sql} AND p.gps_lat IS NOT NULL AND ${b.sql} ${f.sql}
         GROUP BY cell`,
      )
      .all({ ...b.params, ...f.params, precision, ...rows.params }) as ClusterRow[]
  }

  /** The photos of one cell (a small cluster drawn as separate markers). */
  cellMembers(cell: string, bounds: Bounds, limit: number, filter?: PhotoFilter): MarkerRow[] {
    const c = cellClause(cell)
    const b = boundsClause(bounds)
    const f = mapFilter(filter)
    return this.db
      .prepare(
        `SELECT p.id, p.name, p.gps_lat AS lat, p.gps_lon AS lon FROM photos p
         WHERE ${c.sql} AND p.gps_lat IS NOT NULL AND ${b.sql} ${f.sql}
         LIMIT @limit`,
      )
      .all({ ...b.params, ...f.params, ...c.params, limit }) as MarkerRow[]
  }

  /** First and last capture date of geotagged photos (the timeline's extent). */
  timeline(filter?: PhotoFilter): { from: string | null; to: string | null; geotagged: number } {
    const f = mapFilter(filter)
    return this.db
      .prepare(
        `SELECT MIN(p.taken_at) AS "from", MAX(p.taken_at) AS "to", COUNT(*) AS geotagged
         FROM photos p WHERE p.gps_lat IS NOT NULL ${f.sql}`,
      )
      .get(f.params) as { from: string | null; to: string | null; geotagged: number }
  }
}
