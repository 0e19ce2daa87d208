import { formatBytes as formatByteCount } from '../../shared/health'
/** Human-readable byte counts (1024-based, like file managers); '—' when unknown. */
export function formatBytes(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? '—' : formatByteCount(bytes)
}

/** A capture date as the user reads it; the stored value is ISO-8601. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString()
}
