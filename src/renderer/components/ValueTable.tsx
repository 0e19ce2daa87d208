import type { ReactNode } from 'react'

function formatValue(value: unknown): ReactNode {
  if (value === null || value === undefined) return <span className="muted">—</span>
  if (typeof value === 'number')
    return Number.isInteger(value) ? value.toLocaleString() : value.toFixed(4).replace(/0+$/, '')
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return value.map(String).join(', ')
    return (
      <ol className="value-list">
        {value.map((v, i) => (
          <li key={i}>{formatValue(v)}</li>
        ))}
      </ol>
    )
  }
  if (typeof value === 'object') return <ValueTable value={value as Record<string, unknown>} />
  return String(value)
}

/** Label from a camelCase or snake_case key: `dateConfidence` → "Date confidence". */
export function labelOf(key: string): string {
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** One label → value row of a `value-table` list (a `<dl>`). */
export function ValueRow(props: { label: ReactNode; children: ReactNode }) {
  return (
    <div className="value-row">
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  )
}

/**
 * Renders any JSON-like value as nested key/value rows. The info panel uses it for the `extra`
 * sections features contribute, so a new section shows up without UI changes.
 */
export function ValueTable(props: { value: Readonly<Record<string, unknown>> }) {
  const entries = Object.entries(props.value)
  if (entries.length === 0) return <span className="muted">—</span>
  return (
    <dl className="value-table">
      {entries.map(([key, value]) => (
        <ValueRow key={key} label={labelOf(key)}>
          {formatValue(value)}
        </ValueRow>
      ))}
    </dl>
  )
}
