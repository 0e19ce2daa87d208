import L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import { useEffect, useRef } from 'react'
import worldUrl from '@resources/world-110m.geojson?url'
import type { MapCluster, MapMarker, MapView } from '../../../shared/contract/map'

export interface LeafletMapProps {
  readonly view: MapView | null
  /** Online tile URL template; empty = the bundled outline only. */
  readonly tileUrl: string
  readonly selecting: boolean
  onViewport(v: { south: number; west: number; north: number; east: number; zoom: number }): void
  onCluster(cluster: MapCluster): void
  onMarker(marker: MapMarker): void
  onBox(bbox: [number, number, number, number]): void
}

function clusterIcon(count: number): L.DivIcon {
  const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 44 : count < 10000 ? 52 : 60
  const label =
    count >= 10000
      ? `${Math.round(count / 1000)}k`
      : count >= 1000
        ? `${(count / 1000).toFixed(1)}k`
        : String(count)
  return L.divIcon({
    className: 'map-cluster',
    html: `<span>${label}</span>`,
    iconSize: [size, size],
  })
}

/**
 * Leaflet, used directly (no react-leaflet): one map instance per mount, layers replaced when the
 * clusters change. Only the clusters and markers of the current view are ever drawn.
 */
export function LeafletMap(props: LeafletMapProps) {
  const container = useRef<HTMLDivElement>(null)
  const mapRef = useRef<L.Map | null>(null)
  const layerRef = useRef<L.LayerGroup | null>(null)
  const tileRef = useRef<L.TileLayer | null>(null)
  const propsRef = useRef(props)
  useEffect(() => {
    propsRef.current = props
  })
  const updates = useRef(0)

  useEffect(() => {
    const el = container.current
    if (!el) return
    const map = L.map(el, {
      worldCopyJump: true,
      minZoom: 1,
      maxZoom: 18,
      boxZoom: false,
      zoomControl: true,
      attributionControl: true,
    }).setView([30, 10], 2)
    mapRef.current = map
    map.attributionControl.setPrefix(false)
    map.attributionControl.addAttribution('Outlines: Natural Earth')
    // The outline sits below the tile pane (200): online tiles, when set, cover it.
    map.createPane('basemap').style.zIndex = '150'
    layerRef.current = L.layerGroup().addTo(map)
    let cancelled = false
    void fetch(worldUrl)
      .then((r) => r.json())
      .then((geojson: GeoJSON.GeoJsonObject) => {
        if (cancelled) return
        L.geoJSON(geojson, {
          pane: 'basemap',
          style: { className: 'basemap-land' },
          interactive: false,
        }).addTo(map)
      })
      .catch(() => undefined)
    const report = () => {
      // When the view settled: the benchmark measures moveend → clusters drawn.
      el.dataset.moveAt = String(performance.now())
      const b = map.getBounds()
      propsRef.current.onViewport({
        south: b.getSouth(),
        west: b.getWest(),
        north: b.getNorth(),
        east: b.getEast(),
        zoom: map.getZoom(),
      })
    }
    map.on('moveend', report)
    report()

    // Box selection: in "select area" mode a drag draws a rectangle that filters the grid.
    let start: L.LatLng | null = null
    let rect: L.Rectangle | null = null
    map.on('mousedown', (e: L.LeafletMouseEvent) => {
      if (!propsRef.current.selecting) return
      start = e.latlng
      rect = L.rectangle(L.latLngBounds(start, start), { className: 'map-box' }).addTo(map)
    })
    map.on('mousemove', (e: L.LeafletMouseEvent) => {
      if (start && rect) rect.setBounds(L.latLngBounds(start, e.latlng))
    })
    map.on('mouseup', (e: L.LeafletMouseEvent) => {
      if (!start || !rect) return
      const b = L.latLngBounds(start, e.latlng)
      rect.remove()
      start = null
      rect = null
      propsRef.current.onBox([b.getSouth(), b.getWest(), b.getNorth(), b.getEast()])
    })
    return () => {
      cancelled = true
      map.remove()
      mapRef.current = null
    }
  }, [])

  useEffect(() => {
    const map = mapRef.current
    if (!map) return
    if (props.selecting) map.dragging.disable()
    else map.dragging.enable()
  }, [props.selecting])

  useEffect(() => {
    const map = mapRef.current
    if (!map) return
    tileRef.current?.remove()
    tileRef.current = props.tileUrl ? L.tileLayer(props.tileUrl, { maxZoom: 19 }).addTo(map) : null
    tileRef.current?.bringToBack()
  }, [props.tileUrl])

  useEffect(() => {
    const layer = layerRef.current
    const el = container.current
    if (!layer || !el || !props.view) return
    const started = performance.now()
    layer.clearLayers()
    for (const c of props.view.clusters) {
      L.marker([c.lat, c.lon], {
        icon: clusterIcon(c.count),
        title: `${c.count} photos`,
        keyboard: true,
      })
        .on('click', () => propsRef.current.onCluster(c))
        .addTo(layer)
    }
    for (const m of props.view.markers) {
      L.circleMarker([m.lat, m.lon], { radius: 7, className: 'map-photo' })
        .bindTooltip(m.name)
        .on('click', () => propsRef.current.onMarker(m))
        .addTo(layer)
    }
    updates.current++
    // The UI benchmark reads these: how long drawing took and how many updates happened.
    const now = performance.now()
    el.dataset.drawMs = String(Math.round((now - started) * 10) / 10)
    const moveAt = Number(el.dataset.moveAt)
    if (Number.isFinite(moveAt)) el.dataset.updateMs = String(Math.round((now - moveAt) * 10) / 10)
    el.dataset.updates = String(updates.current)
    el.dataset.clusters = String(props.view.clusters.length)
    el.dataset.markers = String(props.view.markers.length)
  }, [props.view])

  return <div className="leaflet-host" ref={container} data-testid="leaflet-map" />
}
