import { useState } from 'react'
import { PhotoFilterSchema, type PhotoFilter } from '../../../shared/contract/photos'
import type { PhotoSort } from '../../../shared/photos'
import { useShallow } from 'zustand/react/shallow'
import { useSearchStore } from '../search/search.store'
import { useLibraryStore } from './library.store'

const SORTS: readonly { value: PhotoSort; label: string }[] = [
  { value: 'date', label: 'Date taken' },
  { value: 'name', label: 'Name' },
  { value: 'size', label: 'File size' },
  { value: 'quality', label: 'Quality' },
  { value: 'imported', label: 'Imported' },
]

/**
 * Boolean filters features add to PhotoFilterSchema later (duplicates, bursts); a chip appears as
 * soon as the contract has the field, so no UI change is needed when they land.
 */
const OPTIONAL_TOGGLES: readonly { key: string; label: string }[] = [
  { key: 'inDuplicates', label: 'Duplicates' },
  { key: 'duplicates', label: 'Duplicates' },
  { key: 'inBursts', label: 'Bursts' },
  { key: 'bursts', label: 'Bursts' },
]

function schemaHas(key: string): boolean {
  return Object.hasOwn(PhotoFilterSchema.shape, key)
}

function Chip(props: {
  active: boolean
  label: string
  onClick(): void
  onClear?: () => void
  testId?: string
}) {
  return (
    <span className={`chip ${props.active ? 'active' : ''}`} data-testid={props.testId}>
      <button className="chip-body" onClick={props.onClick} aria-pressed={props.active}>
        {props.label}
      </button>
      {props.active && props.onClear && (
        <button className="chip-clear" aria-label={`Clear ${props.label}`} onClick={props.onClear}>
          ×
        </button>
      )}
    </span>
  )
}

/** Filter chips, sort and thumbnail size: the grid's query controls. */
/** The quality bands of the filter bar (pixel quality score from analyze). */
const QUALITY_BANDS = [
  { key: 'excellent', label: 'Quality 80–100', min: 80, max: 100 },
  { key: 'good', label: 'Quality 60–79', min: 60, max: 79.999 },
  { key: 'fair', label: 'Quality 40–59', min: 40, max: 59.999 },
  { key: 'poor', label: 'Quality < 40', min: 0, max: 39.999 },
] as const

function qualityBandKey(min: unknown, max: unknown): string {
  return QUALITY_BANDS.find((b) => b.min === min && b.max === max)?.key ?? ''
}

export function FilterBar() {
  const search = useLibraryStore((s) => s.search)
  const { filter, sort, descending, cellSize, cameras, total } = useLibraryStore(
    useShallow((s) => ({
      filter: s.query.filter,
      sort: s.query.sort,
      descending: s.query.descending,
      cellSize: s.cellSize,
      cameras: s.cameras,
      total: s.total,
    })),
  )
  const store = useLibraryStore.getState()
  const [datesOpen, setDatesOpen] = useState(false)
  const loose = filter as Record<string, unknown>
  const setLoose = (key: string, value: unknown) =>
    store.setFilter({ [key]: value } as Partial<PhotoFilter>)
  const cycle = (v: boolean | undefined) => (v === undefined ? true : v ? false : undefined)
  const seen = new Set<string>()

  return (
    <div className="filter-bar" data-testid="filter-bar">
      {search && (
        <Chip
          label={`${search.spec.kind === 'text' ? `“${search.spec.query}”` : `Like ${search.spec.label}`} · ${search.hits} best of ${search.candidates.toLocaleString()} (${Math.round(search.searchMs)} ms)`}
          active
          onClick={() => undefined}
          onClear={() => {
            useSearchStore.setState({ text: '' })
            store.clearSearch()
          }}
          testId="chip-search"
        />
      )}
      <Chip
        label={
          filter.dateFrom || filter.dateTo
            ? `Date ${filter.dateFrom ?? '…'} – ${filter.dateTo ?? '…'}`
            : 'Date range'
        }
        active={Boolean(filter.dateFrom || filter.dateTo)}
        onClick={() => setDatesOpen((o) => !o)}
        onClear={() => store.setFilter({ dateFrom: undefined, dateTo: undefined })}
        testId="chip-date"
      />
      {datesOpen && (
        <span className="chip-popover">
          <input
            type="date"
            aria-label="From date"
            value={filter.dateFrom?.slice(0, 10) ?? ''}
            onChange={(e) => store.setFilter({ dateFrom: e.target.value || undefined })}
          />
          –
          <input
            type="date"
            aria-label="To date"
            value={filter.dateTo?.slice(0, 10) ?? ''}
            onChange={(e) =>
              store.setFilter({ dateTo: e.target.value ? `${e.target.value}T23:59:59` : undefined })
            }
          />
        </span>
      )}
      <select
        className={`chip-select ${filter.camera ? 'active' : ''}`}
        aria-label="Camera"
        value={filter.camera ?? ''}
        onChange={(e) => store.setFilter({ camera: e.target.value || undefined })}
      >
        <option value="">Any camera</option>
        {cameras.map((c) => (
          <option key={c.camera} value={c.camera}>
            {c.camera} ({c.count})
          </option>
        ))}
      </select>
      <Chip
        label={filter.hasGps === false ? 'No GPS' : 'Has GPS'}
        active={filter.hasGps !== undefined}
        onClick={() => store.setFilter({ hasGps: cycle(filter.hasGps) })}
        onClear={() => store.setFilter({ hasGps: undefined })}
        testId="chip-gps"
      />
      <Chip
        label="Has errors"
        active={filter.hasErrors === true}
        onClick={() => store.setFilter({ hasErrors: filter.hasErrors ? undefined : true })}
        testId="chip-errors"
      />
      {OPTIONAL_TOGGLES.filter((t) => schemaHas(t.key)).map((t) => {
        if (seen.has(t.label)) return null
        seen.add(t.label)
        return (
          <Chip
            key={t.key}
            label={t.label}
            active={loose[t.key] === true}
            onClick={() => setLoose(t.key, loose[t.key] ? undefined : true)}
          />
        )
      })}
      {schemaHas('qualityMin') && (
        <select
          className={`chip-select ${loose.qualityMin !== undefined || loose.qualityMax !== undefined ? 'active' : ''}`}
          aria-label="Quality"
          value={qualityBandKey(loose.qualityMin, loose.qualityMax)}
          onChange={(e) => {
            const band = QUALITY_BANDS.find((b) => b.key === e.target.value)
            store.setFilter({ qualityMin: band?.min, qualityMax: band?.max } as Partial<PhotoFilter>)
          }}
        >
          <option value="">Any quality</option>
          {QUALITY_BANDS.map((b) => (
            <option key={b.key} value={b.key}>
              {b.label}
            </option>
          ))}
        </select>
      )}
      {schemaHas('tag') && (
        <input
          className="chip-input"
          placeholder="Tag"
          aria-label="Tag"
          defaultValue={String(loose.tag ?? '')}
          onKeyDown={(e) => {
            if (e.key === 'Enter') setLoose('tag', e.currentTarget.value || undefined)
          }}
        />
      )}
      {(filter.folder || filter.geohashPrefix || filter.bbox) && (
        <Chip
          label={filter.folder ? `Folder: ${filter.folder.split(/[\\/]/).pop()}` : 'Map area'}
          active
          onClick={() => undefined}
          onClear={() =>
            store.setFilter({ folder: undefined, geohashPrefix: undefined, bbox: undefined })
          }
          testId="chip-place"
        />
      )}
      <span className="spacer" />
      <span className="muted result-count" data-testid="result-count">
        {total === null ? '…' : `${total.toLocaleString()} photos`}
      </span>
      <select
        aria-label="Sort"
        value={sort}
        onChange={(e) => store.setSort(e.target.value as PhotoSort)}
      >
        {SORTS.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
      <button
        aria-label={descending ? 'Descending' : 'Ascending'}
        title={descending ? 'Newest/largest first' : 'Oldest/smallest first'}
        onClick={() => store.setSort(sort, !descending)}
      >
        {descending ? '↓' : '↑'}
      </button>
      <input
        type="range"
        min={80}
        max={400}
        step={10}
        value={cellSize}
        aria-label="Thumbnail size"
        onChange={(e) => store.setCellSize(Number(e.target.value))}
      />
    </div>
  )
}
