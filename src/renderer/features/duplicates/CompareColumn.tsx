import type { DuplicateMemberDto } from '../../../shared/contract/review'
import { mediaUrl } from '../../api/client'
import { formatBytes, formatDate } from '../../components/format'

/** The attributes compared side by side; a value that differs from the keeper's is highlighted. */
export const COMPARED: readonly {
  key: string
  label: string
  value(m: DuplicateMemberDto): string
}[] = [
  {
    key: 'resolution',
    label: 'Resolution',
    value: (m) => (m.width && m.height ? `${m.width} × ${m.height}` : '—'),
  },
  { key: 'size', label: 'File size', value: (m) => formatBytes(m.size) },
  { key: 'format', label: 'Format', value: (m) => m.format ?? '—' },
  { key: 'date', label: 'Date', value: (m) => formatDate(m.takenAt) },
  {
    key: 'gps',
    label: 'GPS',
    value: (m) =>
      m.gpsLat !== null && m.gpsLon !== null
        ? `${m.gpsLat.toFixed(4)}, ${m.gpsLon.toFixed(4)}`
        : '—',
  },
  {
    key: 'quality',
    label: 'Quality',
    value: (m) => (m.quality === null ? '—' : String(Math.round(m.quality))),
  },
  { key: 'folder', label: 'Folder', value: (m) => m.folder },
]

function distanceText(m: DuplicateMemberDto): string {
  if (!m.distance)
    return m.match === 'keeper' ? 'reference' : m.match === 'copy' ? 'identical bytes' : '—'
  const d = m.distance
  return `a ${d.ahash} · d ${d.dhash} · p ${d.phash} · w ${d.whash}`
}

/**
 * One photo in the compare view: the 1024 preview (zoom synced by the parent through `zoom` and
 * the shared scroll handler), its attributes with differences marked, and keep/remove buttons.
 */
export function CompareColumn(props: {
  member: DuplicateMemberDto
  reference: DuplicateMemberDto
  slot: number
  active: boolean
  zoom: number
  registerScroller(el: HTMLDivElement | null): void
  onScroll(el: HTMLDivElement): void
  onActivate(): void
  onKeep(): void
  onRemove(): void
  onKeeper(): void
}) {
  // Destructured: the ref callback travels apart from the values read during render.
  const { registerScroller, ...rest } = props
  const m = rest.member
  const state = m.missing ? 'missing' : m.keep ? 'keep' : 'remove'
  return (
    <div
      className={`compare-column ${rest.active ? 'active' : ''} role-${state}`}
      data-testid="compare-column"
      data-photo-id={m.photoId}
      data-keep={m.keep}
      onClick={rest.onActivate}
    >
      <div className="compare-head">
        <span className="slot">{rest.slot}</span>
        <span className="compare-name" title={m.path}>
          {m.name}
        </span>
        {m.suggested === 'keep' && (
          <span className="badge keeper" data-testid="suggested-keeper" title={m.reason}>
            suggested keeper
          </span>
        )}
      </div>
      <div
        className="compare-image"
        ref={registerScroller}
        onScroll={(e) => rest.onScroll(e.currentTarget)}
      >
        <img
          src={mediaUrl(m.photoId, 1024)}
          alt={m.name}
          style={{ width: `${rest.zoom * 100}%` }}
          draggable={false}
        />
      </div>
      <dl className="compare-facts">
        {COMPARED.map((c) => {
          const value = c.value(m)
          const differs = m !== rest.reference && value !== c.value(rest.reference)
          return (
            <div key={c.key} className={`value-row ${differs ? 'differs' : ''}`}>
              <dt>{c.label}</dt>
              <dd title={value}>{value}</dd>
            </div>
          )
        })}
        <div className="value-row">
          <dt>Distance</dt>
          <dd>{distanceText(m)}</dd>
        </div>
        <div className="value-row">
          <dt>Why</dt>
          <dd>{m.reason}</dd>
        </div>
      </dl>
      <div className="compare-actions">
        <button className={m.keep ? 'primary' : ''} onClick={rest.onKeep} data-testid="member-keep">
          Keep (K)
        </button>
        <button
          className={!m.keep ? 'danger' : ''}
          onClick={rest.onRemove}
          data-testid="member-remove"
        >
          Remove (X)
        </button>
        {m.suggested !== 'keep' && <button onClick={rest.onKeeper}>Make keeper</button>}
      </div>
    </div>
  )
}
