import type { DateBand, HealthDatum, MissingReason } from './contract/health'
import type { ItemErrorCode, JobKind } from './jobs'

/** Human labels of the data health measures (report, Markdown, Health page). */
export const DATUM_LABELS: { readonly [D in HealthDatum]: string } = {
  dates: 'Dates',
  gps: 'GPS',
  geohash: 'Geohash',
  thumbnails: 'Thumbnails',
  hashes: 'Perceptual hashes',
  quality: 'Quality scores',
  embeddings: 'CLIP embeddings',
}

/** What each reason means, in words a person can act on. */
export const REASON_LABELS: { readonly [R in MissingReason]: string } = {
  never_processed: 'never processed (the job has not run on these yet)',
  outdated: 'outdated (older algorithm version, or the original changed since)',
  file_missing: 'thumbnail file deleted from the cache',
  mismatch: 'geohash does not match the GPS position',
  vanished: 'original file vanished from disk',
  unsupported: 'unsupported format',
  corrupt: 'corrupt file',
  unreadable: 'unreadable (permissions, I/O error or locked)',
  truncated: 'truncated file (possibly still being copied)',
  empty: 'empty (zero-byte) file',
  too_large: 'too large to decode safely',
  needs_ffmpeg: 'video: needs ffmpeg installed',
  worker_crash: 'the decoder crashed on it',
  internal: 'internal error (a bug; see the job log)',
}

/** The same reasons in a word or two (terminal lines, table cells). */
export const REASON_SHORT: { readonly [R in MissingReason]: string } = {
  never_processed: 'never processed',
  outdated: 'outdated',
  file_missing: 'file deleted',
  mismatch: 'wrong geohash',
  vanished: 'original vanished',
  unsupported: 'unsupported',
  corrupt: 'corrupt',
  unreadable: 'unreadable',
  truncated: 'truncated',
  empty: 'empty file',
  too_large: 'too large',
  needs_ffmpeg: 'needs ffmpeg',
  worker_crash: 'decoder crashed',
  internal: 'internal error',
}

/**
 * Item errors whose cause may go away on its own, so `retry-failed` tries them again:
 * - `unreadable`: permissions, a locked file or a disconnected disk can be fixed;
 * - `truncated`: typically a file still being copied when it was imported;
 * - `worker_crash`: often memory pressure from other work at the time, not the file itself;
 * - `internal`: a bug that an update may have fixed.
 * `needs_ffmpeg` is retried only when ffmpeg is now installed (the handler checks). The rest
 * (`corrupt`, `unsupported`, `empty`, `too_large`) are facts about the file's bytes: retrying
 * gives the same answer, and `verify` re-queues a file whose bytes change.
 */
export const TRANSIENT_ERROR_CODES: readonly ItemErrorCode[] = [
  'unreadable',
  'truncated',
  'worker_crash',
  'internal',
]

/**
 * Attempts after which a "transient" error is treated as permanent: a file that failed three
 * times for the same reason is not going to change by itself, and the plan must not recommend
 * retrying it forever.
 */
export const MAX_RETRY_ATTEMPTS = 3

export function isTransientError(code: ItemErrorCode, ffmpegAvailable = false): boolean {
  return TRANSIENT_ERROR_CODES.includes(code) || (code === 'needs_ffmpeg' && ffmpegAvailable)
}

export const DATE_BAND_LABELS: { readonly [B in DateBand]: string } = {
  exif: 'EXIF capture date (≥ 95)',
  derived: 'other EXIF date or file name (70–94)',
  folder: 'folder name (50–69)',
  'file-time': 'file time only (< 50)',
  none: 'no date',
}

/** Titles of the jobs a plan can recommend. */
export const JOB_TITLES: { readonly [K in JobKind]: string } = {
  import: 'Import',
  analyze: 'Analyze (thumbnails, hashes, quality)',
  duplicates: 'Find duplicates',
  bursts: 'Find bursts',
  clip: 'CLIP embeddings',
  geohash: 'Repair geohashes',
  verify: 'Verify originals',
  'retry-failed': 'Retry failed items',
  backup: 'Back up the catalog',
}

/** An estimate in words: "< 1 min", "~12 min", "~2 h 05 min". */
export function formatEstimate(seconds: number): string {
  if (seconds < 60) return '< 1 min'
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `~${minutes} min`
  return `~${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

/** 1234567 → "1,234,567" independent of the machine's locale (reports are compared). */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Bytes in binary units, one decimal. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}
