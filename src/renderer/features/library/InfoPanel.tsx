import type { PhotoDetail } from '../../../shared/contract/photos'
import { ValueTable } from '../../components/ValueTable'
import { formatBytes, formatDate } from '../../components/format'
import { useSearchStore } from '../search/search.store'
import { useLibraryStore } from './library.store'
import { selectedCount } from './selection'

function Section(props: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="info-section" data-testid={props.testId}>
      <h3>{props.title}</h3>
      {props.children}
    </section>
  )
}

/** "More like this" (CLIP), offered when a model is active. */
function MoreLikeThis(props: { id: number; name: string }) {
  const model = useSearchStore((s) => s.model)
  if (!model) return null
  return (
    <button
      onClick={() =>
        void useLibraryStore
          .getState()
          .runSearch({ kind: 'similar', photoId: props.id, label: props.name })
      }
    >
      More like this
    </button>
  )
}

/** The info panel of one photo: file, EXIF, date provenance, GPS, errors and feature sections. */
export function PhotoInfo(props: { detail: PhotoDetail }) {
  const p = props.detail.photo
  const exposure = p.exposureTime
    ? p.exposureTime < 1
      ? `1/${Math.round(1 / p.exposureTime)} s`
      : `${p.exposureTime} s`
    : null
  return (
    <div className="photo-info" data-testid="photo-info">
      <h2 className="info-title" title={p.path}>
        {p.name}
      </h2>
      <MoreLikeThis id={p.id} name={p.name} />
      <Section title="File">
        <ValueTable
          value={{
            path: p.path,
            format: p.rawFormat ? `${p.format} (${p.rawFormat})` : p.format,
            dimensions: p.width && p.height ? `${p.width} × ${p.height}` : null,
            size: formatBytes(p.size),
            checksum: p.checksum,
            imported: formatDate(p.importedAt),
            missingSince: p.missingSince,
          }}
        />
      </Section>
      <Section title="Date" testId="info-date">
        <ValueTable
          value={{
            taken: formatDate(p.takenAt),
            source: p.dateSource,
            confidence: p.dateConfidence === null ? null : `${p.dateConfidence}%`,
            timeZone: p.tzOffset,
            suspicious: p.dateSuspicious,
          }}
        />
      </Section>
      <Section title="Camera">
        <ValueTable
          value={{
            camera: [p.make, p.model].filter(Boolean).join(' ') || null,
            lens: p.lens,
            iso: p.iso,
            exposure,
            aperture: p.fNumber ? `f/${p.fNumber}` : null,
            focalLength: p.focalLength ? `${p.focalLength} mm` : null,
            orientation: p.orientation,
          }}
        />
      </Section>
      <Section title="Location">
        <ValueTable
          value={{
            latitude: p.gpsLat,
            longitude: p.gpsLon,
            altitude: p.gpsAlt,
            geohash: p.geohash,
            suspicious: p.gpsSuspicious,
          }}
        />
      </Section>
      {Object.entries(props.detail.extra).map(([name, value]) =>
        value === null || value === undefined ? null : (
          <Section
            key={name}
            title={name.charAt(0).toUpperCase() + name.slice(1)}
            testId={`info-extra-${name}`}
          >
            {typeof value === 'object' && !Array.isArray(value) ? (
              <ValueTable value={value as Record<string, unknown>} />
            ) : (
              <ValueTable value={{ [name]: value }} />
            )}
          </Section>
        ),
      )}
      <Section title={`Errors (${props.detail.errors.length})`} testId="info-errors">
        {props.detail.errors.length === 0 ? (
          <p className="muted">None</p>
        ) : (
          <ul className="error-list">
            {props.detail.errors.map((e) => (
              <li key={e.id}>
                <b>{e.code}</b> in {e.stage}: {e.message}
                {e.attempts > 1 ? ` (${e.attempts} attempts)` : ''}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  )
}

/** Right panel container: the focused photo's info, or a selection summary. */
export function InfoPanel() {
  const detail = useLibraryStore((s) => s.detail)
  const detailError = useLibraryStore((s) => s.detailError)
  const count = useLibraryStore((s) => selectedCount(s.selection))
  return (
    <aside className="info-panel" aria-label="Info">
      {count > 1 && <p className="selection-summary">{count.toLocaleString()} photos selected</p>}
      {detailError && <p className="error-text">{detailError}</p>}
      {detail ? (
        <PhotoInfo detail={detail} />
      ) : (
        <p className="muted info-empty">
          Select a photo to see its details (EXIF, date source, GPS, hashes, errors).
        </p>
      )}
    </aside>
  )
}
