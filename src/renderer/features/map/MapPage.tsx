import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { EmptyState } from '../../components/EmptyState'
import { useUiStore } from '../../app/ui.store'
import { CATALOG_LISTENERS } from '../../app/events'
import { useLibraryStore } from '../library/library.store'
import { useSettingsStore } from '../settings/settings.store'
import { LeafletMap } from './LeafletMap'
import { dateFilter, useMapStore } from './map.store'

const DAY_MS = 86_400_000

function toDay(iso: string): number {
  return Math.floor(Date.parse(iso.slice(0, 10)) / DAY_MS)
}

function fromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/** Two thumbs over the geotagged photos' date extent; the map and the grid follow it. */
function Timeline() {
  const timeline = useMapStore((s) => s.timeline)
  const range = useMapStore((s) => s.dateRange)
  if (!timeline?.from || !timeline.to) return null
  const min = toDay(timeline.from)
  const max = Math.max(min + 1, toDay(timeline.to))
  const lo = range ? toDay(range[0]) : min
  const hi = range ? toDay(range[1]) : max
  const set = (a: number, b: number) =>
    useMapStore
      .getState()
      .setDateRange(
        a <= min && b >= max
          ? null
          : [fromDay(Math.min(a, b)), `${fromDay(Math.max(a, b))}T23:59:59`],
      )
  return (
    <div className="timeline" data-testid="map-timeline">
      <span>{fromDay(lo)}</span>
      <input
        type="range"
        min={min}
        max={max}
        value={lo}
        aria-label="Timeline start"
        onChange={(e) => set(Number(e.target.value), hi)}
      />
      <input
        type="range"
        min={min}
        max={max}
        value={hi}
        aria-label="Timeline end"
        onChange={(e) => set(lo, Number(e.target.value))}
      />
      <span>{fromDay(hi)}</span>
    </div>
  )
}

/** The map page: clusters from the catalog for the visible area; clicks and boxes filter the grid. */
export function MapPage() {
  const { view, timeline, error, dateRange } = useMapStore(
    useShallow((s) => ({
      view: s.view,
      timeline: s.timeline,
      error: s.error,
      dateRange: s.dateRange,
    })),
  )
  const tileUrl = useSettingsStore((s) => s.settings?.mapTileUrl ?? '')
  const [selecting, setSelecting] = useState(false)

  useEffect(() => {
    void useMapStore.getState().loadTimeline()
    const refresh = () => useMapStore.getState().refresh()
    CATALOG_LISTENERS.add(refresh)
    return () => {
      CATALOG_LISTENERS.delete(refresh)
    }
  }, [])

  const showInGrid = (place: {
    geohashPrefix?: string
    bbox?: [number, number, number, number]
  }) => {
    useLibraryStore.getState().replaceFilter({ ...dateFilter(dateRange), hasGps: true, ...place })
    useUiStore.getState().go('library')
  }

  return (
    <div className="map-page" data-testid="map-page">
      <div className="map-toolbar">
        <button
          className={selecting ? 'primary' : ''}
          aria-pressed={selecting}
          data-testid="map-select-area"
          onClick={() => setSelecting((s) => !s)}
        >
          {selecting ? 'Drag a box on the map…' : 'Select area'}
        </button>
        <span className="muted" data-testid="map-total">
          {view ? `${view.total.toLocaleString()} photos in view` : '…'}
        </span>
        {error && <span className="error-text">{error}</span>}
        <span className="spacer" />
        <Timeline />
      </div>
      {timeline && timeline.geotagged === 0 ? (
        <EmptyState title="No photos with a location yet">
          <p>
            Photos with GPS coordinates in their EXIF appear here after import. Run{' '}
            <b>Repair geohashes</b> from the job panel if locations are missing.
          </p>
        </EmptyState>
      ) : null}
      <LeafletMap
        view={view}
        tileUrl={tileUrl}
        selecting={selecting}
        onViewport={(v) => useMapStore.getState().setViewport(v)}
        onCluster={(c) => showInGrid({ geohashPrefix: c.geohash })}
        onMarker={(m) =>
          showInGrid({ bbox: [m.lat - 1e-6, m.lon - 1e-6, m.lat + 1e-6, m.lon + 1e-6] })
        }
        onBox={(bbox) => {
          setSelecting(false)
          showInGrid({ bbox })
        }}
      />
    </div>
  )
}
