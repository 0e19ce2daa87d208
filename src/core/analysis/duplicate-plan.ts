import type { MediaFormat } from '../../shared/photos'
import { chooseKeeper, type CopyCandidate } from './best-copy'
import { DEFAULT_BURST_OPTIONS, detectBursts, type BurstColumns, type BurstOptions } from './bursts'
import { SeparatedPairs } from './exact-duplicates'
import {
  DEFAULT_DUPLICATE_OPTIONS,
  describeMatch,
  findDuplicateGroups,
  type DuplicateInput,
  type DuplicateOptions,
  type DuplicateStats,
  type HashDistances,
  type MatchKind,
} from './near-duplicates'

/**
 * The whole duplicates computation as one pure function, so it can run in a worker process when
 * the catalog is large: bursts (to exclude their pairs) → groups → keeper and per-member reasons.
 * Input and output are typed arrays and plain objects (structured-clone friendly).
 */

/** Formats by code, so a million rows cross a process boundary as bytes, not strings. */
export const FORMAT_CODES: readonly (MediaFormat | null)[] = [
  null,
  'jpeg',
  'png',
  'webp',
  'tiff',
  'avif',
  'gif',
  'heic',
  'raw',
  'mp4',
  'mov',
]

export function formatCode(format: string | null): number {
  const code = FORMAT_CODES.indexOf(format as MediaFormat | null)
  return code < 0 ? 0 : code
}

/** What best-copy needs per row. */
export interface CopyFacts {
  readonly format: Uint8Array
  readonly width: Int32Array
  readonly height: Int32Array
  readonly size: Float64Array
  readonly hasDate: Uint8Array
  readonly hasGps: Uint8Array
  /** Pixel quality score 0–100, NaN when unknown. */
  readonly quality: Float32Array
}

export interface DuplicatePlanInput {
  /** Hash columns etc.; `burst` is computed here from `frames`. */
  readonly rows: Omit<DuplicateInput, 'burst'>
  readonly facts: CopyFacts
  /** Burst columns over the same rows (row i = row i). */
  readonly frames: BurstColumns
  /** Flat [a0, b0, a1, b1, …] photo id pairs the user separated. */
  readonly separated: Int32Array
  readonly options: DuplicateOptions
  readonly burstOptions: BurstOptions
}

export interface PlannedMember {
  readonly photoId: number
  readonly suggested: 'keep' | 'remove'
  readonly match: 'keeper' | MatchKind
  readonly distance: HashDistances | null
  readonly reason: string
}

export interface PlannedGroup {
  readonly kind: 'exact' | 'near'
  readonly lowInformation: boolean
  readonly keeperId: number
  readonly keeperReason: string
  /** Sorted member ids, comma-separated. */
  readonly signature: string
  /** Keeper first, then by distance to it. */
  readonly members: readonly PlannedMember[]
}

export interface DuplicatePlan {
  readonly groups: PlannedGroup[]
  readonly stats: DuplicateStats & { bursts: number; burstFrames: number }
}

export function signatureOf(ids: Iterable<number>): string {
  return [...ids].sort((a, b) => a - b).join(',')
}

export function copyCandidate(facts: CopyFacts, ids: Int32Array, row: number): CopyCandidate {
  const quality = facts.quality[row] as number
  const width = facts.width[row] as number
  const height = facts.height[row] as number
  return {
    id: ids[row] as number,
    format: FORMAT_CODES[facts.format[row] as number] ?? null,
    width: width > 0 ? width : null,
    height: height > 0 ? height : null,
    size: facts.size[row] as number,
    hasDate: facts.hasDate[row] === 1,
    hasGps: facts.hasGps[row] === 1,
    quality: Number.isFinite(quality) ? quality : null,
  }
}

export function planDuplicateGroups(input: DuplicatePlanInput): DuplicatePlan {
  const n = input.rows.ids.length
  const burst = new Int32Array(n)
  const bursts = detectBursts(input.frames, input.burstOptions)
  let burstFrames = 0
  bursts.forEach((b, i) => {
    for (const row of b.rows) burst[row] = i + 1
    burstFrames += b.rows.length
  })
  const rows: DuplicateInput = { ...input.rows, burst }
  const separated = new SeparatedPairs()
  for (let i = 0; i + 1 < input.separated.length; i += 2) {
    separated.add(input.separated[i] as number, input.separated[i + 1] as number)
  }
  const found = findDuplicateGroups(rows, separated, input.options)
  const groups = found.groups.map((group): PlannedGroup => {
    const candidates = group.rows.map((row) => copyCandidate(input.facts, rows.ids, row))
    const choice = chooseKeeper(candidates)
    const rowOf = new Map(group.rows.map((row) => [rows.ids[row] as number, row]))
    const keeperRow = rowOf.get(choice.keeperId) as number
    const members = group.rows.map((row): PlannedMember & { order: number } => {
      const photoId = rows.ids[row] as number
      if (row === keeperRow) {
        return {
          photoId,
          suggested: 'keep',
          match: 'keeper',
          distance: null,
          reason: `suggested keeper: ${choice.reason}`,
          order: -1,
        }
      }
      const m = describeMatch(rows, found.nodes, keeperRow, row, input.options)
      const d = m.distance
      // A byte copy of another (non-keeper) member says so: resolving compares the bytes.
      const twin =
        m.kind === 'copy'
          ? undefined
          : group.rows.find((r) => r !== row && found.nodes.nodeOf[r] === found.nodes.nodeOf[row])
      return {
        photoId,
        suggested: 'remove',
        match: m.kind,
        distance: d,
        reason: twin === undefined ? m.reason : `${m.reason}; byte-identical to #${rows.ids[twin]}`,
        order: d ? d.ahash + d.dhash + (d.phash + d.whash) / 64 : 0,
      }
    })
    members.sort((a, b) => a.order - b.order || a.photoId - b.photoId)
    return {
      kind: group.kind,
      lowInformation: group.lowInfo,
      keeperId: choice.keeperId,
      keeperReason: choice.reason,
      signature: signatureOf(rowOf.keys()),
      members: members.map(({ order: _order, ...m }) => m),
    }
  })
  return { groups, stats: { ...found.stats, bursts: bursts.length, burstFrames } }
}

export const DEFAULT_PLAN_OPTIONS = {
  options: DEFAULT_DUPLICATE_OPTIONS,
  burstOptions: DEFAULT_BURST_OPTIONS,
}
