import { z } from 'zod'
import { method } from './define'
import type { ItemErrorCode, JobKind, JobParams } from '../jobs'

/** A derived datum whose coverage health measures. */
export type HealthDatum =
  'dates' | 'gps' | 'geohash' | 'thumbnails' | 'hashes' | 'quality' | 'embeddings'

/**
 * Why an item lacks a datum. Item-error codes come from `item_errors` (the stage that failed said
 * why); the others are derived from the data: `never_processed` (no row, no error), `outdated`
 * (a row from an older algorithm version, or the original changed since), `file_missing` (a
 * current thumbnail row whose file is gone), `mismatch` (a geohash that does not encode the GPS).
 */
export type MissingReason =
  ItemErrorCode | 'never_processed' | 'outdated' | 'file_missing' | 'mismatch'

/** One reason with how many items it explains and a few of them. */
export interface ReasonCountDto {
  readonly reason: MissingReason
  readonly count: number
  /** Up to a handful of example paths, so a person can look at one. */
  readonly examples: readonly string[]
}

/** Coverage of one datum over the photos in scope. */
export interface CoverageDto {
  readonly datum: HealthDatum
  readonly label: string
  /**
   * False when the feature that produces it is not in this catalog yet (its tables are absent) or
   * cannot run (no CLIP model configured); counts are then 0 and `unavailableReason` says why.
   */
  readonly available: boolean
  readonly unavailableReason: string | null
  /** Photos this datum applies to (the denominator). */
  readonly eligible: number
  readonly have: number
  readonly missing: number
  /** have / eligible × 100, one decimal; 100 when nothing is eligible. */
  readonly percent: number
  /** Every missing item exactly once, under its first reason. Sums to `missing`. */
  readonly missingBy: readonly ReasonCountDto[]
  /**
   * True when missing values are a fact of the photos, not a gap a job can close (photos without
   * GPS were taken without it).
   */
  readonly informational: boolean
  /** The job kind that fills this datum, if any. */
  readonly job: JobKind | null
  /** The item_errors stage whose errors explain its gaps (`analyze`, `clip`), if any. */
  readonly stage: string | null
}

/** Date confidence bands (from `photos.date_confidence`). */
export type DateBand = 'exif' | 'derived' | 'folder' | 'file-time' | 'none'

/** How trustworthy the capture dates are. */
export interface DateQualityDto {
  /** ≥ 95 EXIF; 70–94 other EXIF dates and file names; 50–69 folder names; < 50 file times. */
  readonly bands: readonly { readonly band: DateBand; readonly count: number }[]
  /** Dates flagged by import (future, before 1990, camera-reset defaults), by flag. */
  readonly suspicious: readonly { readonly flag: string; readonly count: number }[]
}

/** A consistency check between catalog rows, derived data and files. */
export type ConsistencyCheckId =
  | 'gps-without-geohash'
  | 'geohash-without-gps'
  | 'geohash-mismatch'
  | 'thumbnail-file-missing'
  | 'original-vanished'
  | 'original-changed'

export interface ConsistencyCheckDto {
  readonly check: ConsistencyCheckId
  readonly label: string
  /** Items failing the check (0 = consistent). */
  readonly count: number
  readonly examples: readonly string[]
  /** The job that repairs it. */
  readonly fix: JobKind | null
  /** False when the check could not run (e.g. no thumbnails table yet, never verified). */
  readonly available: boolean
  readonly note: string | null
}

/** What the last `verify` job found (originals on disk vs the catalog). */
export interface VerifySummaryDto {
  readonly jobId: number
  readonly at: string
  readonly folder: string | null
  readonly checked: number
  /** Originals still missing after the run (marked `missing_since`; moved ones re-linked first). */
  readonly vanished: number
  /** Size/mtime changed and content differs: re-checksummed, derived data marked outdated. */
  readonly changed: number
  /** Only the mtime changed, content identical: timestamps updated, data kept. */
  readonly touched: number
  /** Found elsewhere under the same root by checksum: path updated, id and data kept. */
  readonly relinked: number
  /** Marked missing before, present again: `missing_since` cleared. */
  readonly returned: number
}

/** Duplicate or burst groups with a member in scope (the review feature's definitions). */
export interface GroupStatsDto {
  readonly available: boolean
  readonly unavailableReason: string | null
  /** Every group found (open, resolved or dismissed). */
  readonly groups: number
  /** Distinct photos in groups still open. */
  readonly photos: number
  /** Groups still waiting for a decision. */
  readonly unresolved: number
  /**
   * Duplicates only, whole catalog only: bytes that resolving every open group with its current
   * keep/remove choices would move away; null otherwise.
   */
  readonly bytesReclaimable: number | null
  /** When the job that finds them last completed, or null (never run). */
  readonly lastRunAt: string | null
  /** Photos gained hashes (or arrived) since that run, so its groups are out of date. */
  readonly stale: boolean
}

/** An item-error group: a stage, a code, how many, examples. */
export interface ProblemDto {
  readonly stage: string
  readonly code: ItemErrorCode
  readonly count: number
  /** Whether the cause may go away by itself (permissions, a file still being copied, a crash). */
  readonly transient: boolean
  /** How many `retry-failed` will try again: transient and tried fewer than MAX_RETRY_ATTEMPTS times. */
  readonly retryable: number
  readonly examples: readonly string[]
}

/** Items each job would work on now; derived from the same data as the coverage. */
export interface PendingWorkDto {
  /** Present photos lacking a current thumbnail, hash or quality row for a fixable reason. */
  readonly analyze: number
  /** Present photos without an embedding of the active model (0 when no model is set). */
  readonly clip: number
  /** Rows whose geohash is missing, wrong, or set without valid GPS. */
  readonly geohash: number
  /** Rows the geohash job reads to find them (rows with GPS or a geohash). */
  readonly geohashRows: number
  /** Item errors whose cause may have gone away, not yet retried too often (retry-failed). */
  readonly retry: number
  /** Photos verify would check (everything in scope). */
  readonly verify: number
}

/** The health of the catalog (or one folder), computed from the data. */
export interface HealthReportDto {
  readonly generatedAt: string
  readonly catalogPath: string
  /** The folder the report is limited to (recursive), or null for the whole catalog. */
  readonly folder: string | null
  readonly totals: {
    readonly photos: number
    /** Photos whose original was last seen on disk. */
    readonly present: number
    /** Photos whose original vanished (`missing_since` set). */
    readonly vanished: number
    readonly images: number
    readonly videos: number
    readonly bytes: number
    readonly folders: number
    /** Files that could not be imported at all (no catalog row), e.g. unsupported or empty. */
    readonly notImported: number
    /**
     * Photos removed through duplicate/burst review (moved to the trash or quarantine; undoable).
     * A decision, not a gap: they are left out of every other count.
     */
    readonly removed: number
  }
  readonly coverage: readonly CoverageDto[]
  readonly dates: DateQualityDto
  readonly gpsSuspicious: readonly { readonly flag: string; readonly count: number }[]
  readonly duplicates: GroupStatsDto
  readonly bursts: GroupStatsDto
  readonly consistency: readonly ConsistencyCheckDto[]
  readonly verify: {
    readonly last: VerifySummaryDto | null
    /** Photos imported after the last verify (never checked since). */
    readonly notVerifiedSince: number
  }
  /** Item errors grouped by stage and code. */
  readonly problems: readonly ProblemDto[]
  /** Work the repair and processing jobs would do now (input of the plan). */
  readonly pending: PendingWorkDto
  /** Active CLIP model id, or null. */
  readonly clipModel: string | null
  /**
   * How long the report took: the SQL (queries and counting their rows), the geohash decoding
   * (JS: SQLite cannot decode a geohash) and the thumbnail file check.
   */
  readonly timing: { readonly sqlMs: number; readonly geohashMs: number; readonly filesMs: number }
}

/** How a time estimate was made. */
export interface EstimateDto {
  readonly seconds: number
  /** Items per second used. */
  readonly rate: number
  /** `measured`: from this machine's earlier runs of the kind; `default`: a conservative guess. */
  readonly source: 'measured' | 'default'
}

/** One recommended job. */
export interface PlanStepDto {
  readonly kind: JobKind
  /** Ready to pass to `jobs.start`. */
  readonly params: JobParams
  readonly title: string
  /** Items the job will work on. */
  readonly items: number
  readonly reason: string
  /** Kinds in this plan that must finish first. */
  readonly after: readonly JobKind[]
  readonly estimate: EstimateDto
  /** The CLI command that runs it alone. */
  readonly command: string
}

/** Coverage now and what it should be after the plan ran. */
export interface ExpectedDto {
  readonly datum: HealthDatum
  readonly label: string
  readonly nowPercent: number
  readonly afterPercent: number
  /** Items the plan cannot fill, by reason (permanent errors, vanished originals). */
  readonly remaining: readonly ReasonCountDto[]
}

/** The recommended jobs in dependency order. */
export interface HealthPlanDto {
  readonly folder: string | null
  readonly steps: readonly PlanStepDto[]
  /** Total estimated seconds run one after another, and with independent jobs side by side. */
  readonly sequentialSeconds: number
  readonly parallelSeconds: number
  readonly expected: readonly ExpectedDto[]
  /** Things no job fixes (no CLIP model configured, permanent errors) said in words. */
  readonly notes: readonly string[]
}

/** Jobs queued by `runPlan`, in plan order. */
export interface RunPlanResultDto {
  readonly jobIds: readonly number[]
  readonly parallel: boolean
  /** Jobs the engine may run at once now. */
  readonly maxConcurrent: number
}

const Scope = z.object({ folder: z.string().min(1).max(4096).optional() })

/** Catalog health: coverage, reasons, consistency, the recommended plan, Markdown export. */
export const healthContract = {
  report: method<HealthReportDto>()(Scope),
  plan: method<HealthPlanDto>()(Scope),
  /** Queues the plan's jobs: one after another, or side by side where dependencies allow. */
  runPlan: method<RunPlanResultDto>()(Scope.extend({ parallel: z.boolean().optional() })),
  /** The report and plan as a Markdown document a person would keep. */
  markdown: method<string>()(Scope),
}
