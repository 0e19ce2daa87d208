import type { MediaFormat } from '../../shared/photos'

/**
 * The suggested keeper of a duplicate group. Order (design.md): RAW > lossless (PNG/TIFF) > HEIC
 * > JPEG, then resolution, file size, metadata completeness (date, GPS), pixel quality score.
 * The user can override it; the reason says which criterion decided, in words.
 */

export interface CopyCandidate {
  readonly id: number
  readonly format: MediaFormat | null
  readonly width: number | null
  readonly height: number | null
  readonly size: number
  /** Capture date from metadata (EXIF/XMP/filename), not the file's mtime. */
  readonly hasDate: boolean
  readonly hasGps: boolean
  /** Pixel quality score 0–100, null when unknown. */
  readonly quality: number | null
}

export interface KeeperChoice {
  readonly keeperId: number
  readonly reason: string
  /** Candidates best first. */
  readonly ranked: readonly number[]
}

/** Higher is a better source: originals and lossless files keep the most information. */
export function formatRank(format: MediaFormat | null): number {
  switch (format) {
    case 'raw':
      return 5
    case 'tiff':
    case 'png':
      return 4
    case 'heic':
    case 'avif':
      return 3
    case 'jpeg':
    case 'webp':
      return 2
    case 'gif':
      return 1
    default:
      return 0
  }
}

const FORMAT_LABEL: Record<number, string> = {
  5: 'RAW original',
  4: 'lossless file',
  3: 'HEIC/AVIF',
  2: 'JPEG/WebP',
  1: 'GIF',
  0: 'unknown format',
}

const pixels = (c: CopyCandidate) => (c.width ?? 0) * (c.height ?? 0)
const metadata = (c: CopyCandidate) => (c.hasDate ? 1 : 0) + (c.hasGps ? 1 : 0)

interface Criterion {
  /** Positive when `a` is better. */
  compare(a: CopyCandidate, b: CopyCandidate): number
  explain(a: CopyCandidate, b: CopyCandidate): string
}

/** Resolution and size differences below 1% are noise (re-encodes, metadata blocks). */
const significant = (a: number, b: number) => (Math.abs(a - b) > 0.01 * Math.max(a, b) ? a - b : 0)

const CRITERIA: readonly Criterion[] = [
  {
    compare: (a, b) => formatRank(a.format) - formatRank(b.format),
    explain: (a, b) =>
      `${FORMAT_LABEL[formatRank(a.format)]} (${a.format ?? '?'}) over ${b.format ?? 'unknown'}`,
  },
  {
    compare: (a, b) => significant(pixels(a), pixels(b)),
    explain: (a, b) =>
      `highest resolution: ${a.width}×${a.height} vs ${b.width ?? '?'}×${b.height ?? '?'}`,
  },
  {
    compare: (a, b) => significant(a.size, b.size),
    explain: (a, b) => `largest file: ${formatBytes(a.size)} vs ${formatBytes(b.size)}`,
  },
  {
    compare: (a, b) => metadata(a) - metadata(b),
    explain: (a) =>
      `most complete metadata (${[a.hasDate ? 'date' : '', a.hasGps ? 'GPS' : ''].filter(Boolean).join(' and ')})`,
  },
  {
    compare: (a, b) => (a.quality ?? -1) - (b.quality ?? -1),
    explain: (a, b) =>
      `higher quality score: ${a.quality?.toFixed(0)} vs ${b.quality?.toFixed(0) ?? 'unknown'}`,
  },
]

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KB`
  return `${bytes} B`
}

/** Negative when `a` is the better copy; ties go to the lower id (the earlier import). */
export function compareCopies(a: CopyCandidate, b: CopyCandidate): number {
  for (const criterion of CRITERIA) {
    const d = criterion.compare(a, b)
    if (d !== 0) return -d
  }
  return a.id - b.id
}

/** Ranks the copies and names the keeper; `overrideId` (the user's pick) wins when present. */
export function chooseKeeper(
  candidates: readonly CopyCandidate[],
  overrideId?: number | null,
): KeeperChoice {
  const ranked = [...candidates].sort(compareCopies)
  const best = ranked[0]
  if (!best) throw new Error('chooseKeeper needs at least one candidate')
  if (
    overrideId !== undefined &&
    overrideId !== null &&
    candidates.some((c) => c.id === overrideId)
  ) {
    return {
      keeperId: overrideId,
      reason: 'chosen by you',
      ranked: [overrideId, ...ranked.map((c) => c.id).filter((id) => id !== overrideId)],
    }
  }
  const runnerUp = ranked[1]
  let reason = 'only copy'
  if (runnerUp) {
    const decisive = CRITERIA.find((c) => c.compare(best, runnerUp) !== 0)
    reason = decisive
      ? decisive.explain(best, runnerUp)
      : 'copies are equivalent: the first imported'
  }
  return { keeperId: best.id, reason, ranked: ranked.map((c) => c.id) }
}
