import type { JobDto } from '../shared/jobs'

/** Formats seconds as `1h 02m`, `3m 05s` or `12s`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds)
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
  return `${s}s`
}

/** One line of progress for a TTY: `[#####-----] 512/1000 done 3 failed 41.2/s ETA 12s file.jpg`. */
export function progressLine(job: JobDto, width = 24): string {
  const processed = job.done + job.failed + job.skipped
  const fraction = job.total > 0 ? Math.min(1, processed / job.total) : 0
  const filled = Math.round(fraction * width)
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`
  const eta = job.etaSeconds !== null ? ` ETA ${formatDuration(job.etaSeconds)}` : ''
  const current = job.currentItem ? ` ${job.currentItem.slice(-40)}` : ''
  return `${bar} ${processed}/${job.total} ${job.kind} ${job.state} · ${job.done} done ${job.skipped} skipped ${job.failed} failed · ${job.rate.toFixed(1)}/s${eta}${current}`
}

/** One-line summary of a finished job. */
export function jobSummary(job: JobDto): string {
  return `job ${job.id} (${job.kind}) ${job.state}: ${job.done} done, ${job.skipped} skipped, ${job.failed} failed${job.error ? ` — ${job.error}` : ''}`
}
