import { z } from 'zod'
import { method } from './define'
import { PhotoFilterSchema } from './photos'

const Lat = z.number().min(-90).max(90)
const Lon = z.number().min(-180).max(180)

/** The visible map: bounds [south, west, north, east] (west > east crosses the antimeridian). */
export const MapQuerySchema = z.object({
  bounds: z.tuple([Lat, Lon, Lat, Lon]),
  zoom: z.number().int().min(0).max(22),
  /** Grid filters that also apply on the map (date range from the timeline, camera, …). */
  filter: PhotoFilterSchema.optional(),
})
export type MapQuery = z.infer<typeof MapQuerySchema>

/** Photos grouped by a geohash prefix. */
export interface MapCluster {
  /** The shared prefix: clicking the cluster filters the grid with `geohashPrefix`. */
  readonly geohash: string
  readonly count: number
  /** Mean position of the members (where the marker is drawn). */
  readonly lat: number
  readonly lon: number
  /** One member, for a thumbnail in the popup. */
  readonly samplePhotoId: number
}

/** A single photo drawn as its own marker (its cluster was small). */
export interface MapMarker {
  readonly id: number
  readonly name: string
  readonly lat: number
  readonly lon: number
}

/** What the map draws for one view: never more than a few hundred items. */
export interface MapView {
  readonly precision: number
  readonly clusters: readonly MapCluster[]
  readonly markers: readonly MapMarker[]
  /** Geotagged photos inside the view. */
  readonly total: number
}

/** Date extent of the geotagged photos, for the timeline slider. */
export interface MapTimeline {
  readonly from: string | null
  readonly to: string | null
  readonly geotagged: number
}

/** The map: clusters computed in the catalog for the visible bounds and zoom. */
export const mapContract = {
  clusters: method<MapView>()(MapQuerySchema),
  timeline: method<MapTimeline>()(z.object({ filter: PhotoFilterSchema.optional() })),
}
