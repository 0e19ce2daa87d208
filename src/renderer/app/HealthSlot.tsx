import { Suspense, lazy, type ComponentType } from 'react'
import { ValueRow } from '../components/ValueTable'
import { useSettingsStore } from '../features/settings/settings.store'

/**
 * The Health page belongs to the health feature (src/renderer/features/health/HealthPage.tsx,
 * exporting `HealthPage`). This slot mounts it when that file exists in the build and shows the
 * catalog's counts until then — `import.meta.glob` resolves to nothing when the file is absent,
 * so the build never breaks on it.
 */
const modules = import.meta.glob<{ HealthPage?: ComponentType }>(
  '../features/health/HealthPage.tsx',
)
const load = Object.values(modules)[0]
const LazyHealth = load
  ? lazy(async () => {
      const mod = await load()
      return { default: mod.HealthPage ?? HealthPlaceholder }
    })
  : null

function HealthPlaceholder() {
  const info = useSettingsStore((s) => s.info)
  return (
    <div className="page" data-testid="health-placeholder">
      <h1>Catalog health</h1>
      <p>
        The full health report (coverage, reasons, recommended jobs) appears here when the health
        feature is built in.
      </p>
      {info && (
        <dl className="value-table">
          <ValueRow label="Photos">{info.photoCount.toLocaleString()}</ValueRow>
          <ValueRow label="Catalog">
            <code>{info.catalogPath}</code>
          </ValueRow>
          <ValueRow label="Schema version">{info.schemaVersion}</ValueRow>
        </dl>
      )}
    </div>
  )
}

export function HealthSlot() {
  if (!LazyHealth) return <HealthPlaceholder />
  return (
    <Suspense fallback={<p className="muted page">Loading health…</p>}>
      <LazyHealth />
    </Suspense>
  )
}
