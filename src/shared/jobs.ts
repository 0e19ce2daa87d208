/**
 * Job kinds and their parameters, as one discriminated union shared by every process.
 * Adding a kind: add its params here, its dependencies in JOB_DEPENDENCIES, and a handler in
 * src/core/jobs/handlers/<kind>.handler.ts registered in handlers/index.ts.
 */

/** Parameters of each job kind. Jobs carry ids and options only, never photo data. */
export type JobParams =
  | { readonly kind: 'import'; readonly root: string }
  | { readonly kind: 'analyze'; readonly force?: boolean; readonly folder?: string }
  | { readonly kind: 'duplicates'; readonly threshold?: number }
  | { readonly kind: 'bursts'; readonly gapSeconds?: number }
  | { readonly kind: 'clip'; readonly force?: boolean }
  | { readonly kind: 'geohash' }
  | { readonly kind: 'verify'; readonly folder?: string }
  | { readonly kind: 'retry-failed' }
  | { readonly kind: 'backup'; readonly reason?: string }

export type JobKind = JobParams['kind']

/** The params of one kind: `JobOf<'import'>` is `{ kind: 'import'; root: string }`. */
export type JobOf<K extends JobKind> = Extract<JobParams, { kind: K }>

export const JOB_KINDS = [
  'import',
  'analyze',
  'duplicates',
  'bursts',
  'clip',
  'geohash',
  'verify',
  'retry-failed',
  'backup',
] as const satisfies readonly JobKind[]

/**
 * Which kinds must have produced their data before a kind can do useful work. The plan (health)
 * orders jobs by this; the engine starts a job only after the jobs it was queued behind finish.
 */
export const JOB_DEPENDENCIES: { readonly [K in JobKind]: readonly JobKind[] } = {
  import: [],
  analyze: ['import'],
  duplicates: ['analyze'],
  bursts: ['analyze'],
  clip: ['import'],
  geohash: ['import'],
  verify: ['import'],
  'retry-failed': [],
  backup: [],
}

/**
 * queued → running ⇄ paused → completed | failed | cancelled.
 * `interrupted`: the process died while the job was running; `resume` continues it.
 */
export type JobState =
  | 'queued'
  | 'running'
  | 'paused'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'interrupted'

export const TERMINAL_JOB_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled']

/** A job as every host sees it. */
export interface JobDto {
  readonly id: number
  readonly kind: JobKind
  readonly params: JobParams
  readonly state: JobState
  readonly total: number
  readonly done: number
  readonly failed: number
  readonly skipped: number
  /** Items per second over the recent window (0 when not running). */
  readonly rate: number
  /** Seconds left at the current rate, or null when unknown. */
  readonly etaSeconds: number | null
  readonly currentItem: string | null
  readonly error: string | null
  /** Ids of jobs that must finish before this one starts. */
  readonly dependsOn: readonly number[]
  readonly createdAt: string
  readonly startedAt: string | null
  readonly finishedAt: string | null
}

export type LogLevel = 'info' | 'warn' | 'error'

/** One line of a job's log. */
export interface JobLogLine {
  readonly id: number
  readonly jobId: number
  readonly at: string
  readonly level: LogLevel
  readonly message: string
}

/** Per-item error codes. Every item that could not be processed gets one, with a message. */
export type ItemErrorCode =
  | 'empty'
  | 'truncated'
  | 'corrupt'
  | 'unsupported'
  | 'unreadable'
  | 'too_large'
  | 'needs_ffmpeg'
  | 'vanished'
  | 'worker_crash'
  | 'internal'

/** A per-item error as recorded in the catalog. */
export interface ItemErrorDto {
  readonly id: number
  readonly photoId: number | null
  readonly path: string
  readonly jobId: number | null
  readonly stage: string
  readonly code: ItemErrorCode
  readonly message: string
  readonly attempts: number
  readonly at: string
}
