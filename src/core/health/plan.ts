import type {
  CoverageDto,
  EstimateDto,
  ExpectedDto,
  HealthPlanDto,
  HealthReportDto,
  MissingReason,
  PlanStepDto,
  ReasonCountDto,
} from '../../shared/contract/health'
import {
  DATUM_LABELS,
  JOB_TITLES,
  MAX_RETRY_ATTEMPTS,
  REASON_LABELS,
  TRANSIENT_ERROR_CODES,
  formatCount,
} from '../../shared/health'
import { JOB_DEPENDENCIES, type JobKind, type JobParams } from '../../shared/jobs'

/**
 * The recommended plan: which jobs close the gaps the report found, in which order, how long they
 * should take. Pure: the report, measured rates and the worker count go in, the plan comes out.
 */

/** Kinds a plan can hold, in the order they run when no dependency decides. */
export const PLAN_KINDS = [
  'verify',
  'retry-failed',
  'geohash',
  'analyze',
  'clip',
  'duplicates',
  'bursts',
] as const satisfies readonly JobKind[]

/**
 * Ordering on top of JOB_DEPENDENCIES, inside a plan only: the later job does not need the earlier
 * one's data, but does better work after it. verify first, because analyze on a moved original
 * fails as "vanished" where verify would have re-linked it; retry-failed before analyze and clip,
 * because it clears errors those jobs would otherwise skip and records the ones that persist.
 */
export const RUNS_BETTER_AFTER: Partial<{ readonly [K in JobKind]: readonly JobKind[] }> = {
  'retry-failed': ['verify'],
  analyze: ['verify', 'retry-failed'],
  clip: ['verify', 'retry-failed'],
}

/** A verify older than this is recommended again (disks get reorganised, files get edited). */
export const VERIFY_MAX_AGE_DAYS = 30

/** Per-job fixed cost (start, worker spawn, first batch) added to every estimate. */
const JOB_OVERHEAD_SECONDS = 2

/**
 * Items/s before this machine has measured a kind: deliberately low, so the first estimate is
 * pessimistic rather than a promise the machine breaks. CPU-bound kinds scale with the workers.
 * analyze: ~1.5 images/s per worker for 12-megapixel JPEGs (the measured goal is ~5);
 * clip: ~2/s per worker on CPU; verify: one stat per photo, a checksum only for changed files;
 * retry-failed: the hard items (they failed once), ~1/s per worker.
 */
export function defaultRate(kind: JobKind, workers: number): number {
  const w = Math.max(1, workers)
  switch (kind) {
    case 'analyze':
      return 1.5 * w
    case 'clip':
      return 2 * w
    case 'retry-failed':
      return 1 * w
    case 'verify':
      return 300
    case 'geohash':
      return 20_000
    case 'duplicates':
      return 5_000
    case 'bursts':
      return 20_000
    case 'import':
      return 20
    case 'backup':
      return 1
  }
}

/** Jobs that keep the worker pool busy: side by side they share it rather than run faster. */
const CPU_BOUND: readonly JobKind[] = ['analyze', 'clip', 'retry-failed']

export interface PlanInput {
  readonly report: HealthReportDto
  /** Items/s measured on this machine for a kind, or null before its first completed run. */
  readonly measuredRate: (kind: JobKind) => number | null
  /** Worker processes (for the default rates of CPU-bound kinds). */
  readonly workers: number
  readonly now: Date
}

/** The command that runs one job from a shell. */
export function commandFor(params: JobParams): string {
  const options = Object.entries(params)
    .filter(([key, value]) => key !== 'kind' && value !== undefined && value !== false)
    .map(([key, value]) => {
      const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
      return value === true ? flag : `${flag} ${shellQuote(String(value))}`
    })
  return ['vam run', params.kind, ...options].join(' ')
}

function shellQuote(value: string): string {
  return /^[\w./:@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}

export function estimate(
  kind: JobKind,
  workItems: number,
  measuredRate: (kind: JobKind) => number | null,
  workers: number,
): EstimateDto {
  const measured = measuredRate(kind)
  const rate = measured !== null && measured > 0 ? measured : defaultRate(kind, workers)
  return {
    seconds: Math.ceil(JOB_OVERHEAD_SECONDS + workItems / rate),
    rate,
    source: measured !== null && measured > 0 ? 'measured' : 'default',
  }
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${formatCount(n)} ${n === 1 ? one : many}`

function coverageOf(report: HealthReportDto, datum: CoverageDto['datum']): CoverageDto | undefined {
  return report.coverage.find((c) => c.datum === datum)
}

interface Candidate {
  readonly kind: JobKind
  readonly params: JobParams
  readonly items: number
  readonly workItems: number
  readonly reason: string
}

function daysBetween(from: string, to: Date): number {
  return (to.getTime() - new Date(from).getTime()) / 86_400_000
}

/** Which jobs the report calls for, unordered. */
function candidates(report: HealthReportDto, now: Date): Candidate[] {
  const out: Candidate[] = []
  const folder = report.folder ?? undefined
  const { pending, verify } = report
  if (report.totals.photos === 0) return out

  const vanishedErrors = report.problems
    .filter((p) => p.code === 'vanished')
    .reduce((sum, p) => sum + p.count, 0)
  const lastVerifyAge = verify.last ? daysBetween(verify.last.at, now) : null
  if (verify.last === null || (lastVerifyAge ?? 0) > VERIFY_MAX_AGE_DAYS || vanishedErrors > 0) {
    const why =
      verify.last === null
        ? 'originals have never been verified: moved, edited or deleted files go unnoticed until then'
        : vanishedErrors > 0
          ? `${plural(vanishedErrors, 'item')} failed because the original was not found: verify re-links moved files by checksum and marks the rest`
          : `last verified ${Math.floor(lastVerifyAge ?? 0)} days ago`
    out.push({
      kind: 'verify',
      params: { kind: 'verify', ...(folder ? { folder } : {}) },
      items: pending.verify,
      workItems: pending.verify,
      reason: why,
    })
  }

  if (pending.retry > 0) {
    const codes = report.problems
      .filter((p) => p.retryable > 0)
      .map((p) => `${p.stage}/${p.code} ${p.retryable}`)
      .join(', ')
    out.push({
      kind: 'retry-failed',
      params: { kind: 'retry-failed' },
      items: pending.retry,
      workItems: pending.retry,
      reason: `${plural(pending.retry, 'item')} failed for a reason that may have gone away (${codes})`,
    })
  }

  if (pending.geohash > 0) {
    out.push({
      kind: 'geohash',
      params: { kind: 'geohash' },
      items: pending.geohash,
      workItems: pending.geohashRows,
      reason: `${plural(pending.geohash, 'photo')} with a missing, wrong or orphaned geohash: map clusters and area filters would miss or misplace them`,
    })
  }

  const analyzeGaps = (['thumbnails', 'hashes', 'quality'] as const)
    .map((d) => coverageOf(report, d))
    .filter((c): c is CoverageDto => c !== undefined && c.available && c.missing > 0)
  if (pending.analyze > 0) {
    const detail = analyzeGaps.map((c) => `${c.label.toLowerCase()} ${c.percent}%`).join(', ')
    out.push({
      kind: 'analyze',
      params: { kind: 'analyze', ...(folder ? { folder } : {}) },
      items: pending.analyze,
      workItems: pending.analyze,
      reason: `${plural(pending.analyze, 'photo')} lack thumbnails, hashes or quality (${detail}); the grid, duplicates and burst picks depend on them`,
    })
  }

  const embeddings = coverageOf(report, 'embeddings')
  if (embeddings?.available && pending.clip > 0) {
    out.push({
      kind: 'clip',
      params: { kind: 'clip' },
      items: pending.clip,
      workItems: pending.clip,
      reason: `${plural(pending.clip, 'photo')} without an embedding of the active model: text search cannot find them`,
    })
  }

  const analyzeQueued = pending.analyze > 0
  const hashes = coverageOf(report, 'hashes')
  // Photos with hashes once the plan ran: those that have them plus those analyze will give them.
  const hashesToCome = analyzeQueued
    ? (hashes?.missingBy ?? [])
        .filter((r) => r.reason === 'never_processed' || r.reason === 'outdated')
        .reduce((sum, r) => sum + r.count, 0)
    : 0
  const hashed = (hashes?.have ?? 0) + hashesToCome
  for (const kind of ['duplicates', 'bursts'] as const) {
    const stats = report[kind]
    if (!stats.available || hashed === 0) continue
    const why =
      stats.lastRunAt === null
        ? 'never run'
        : analyzeQueued
          ? 'analyze will add new hashes and quality scores'
          : stats.stale
            ? 'photos were analyzed since the last run'
            : null
    if (why === null) continue
    out.push({
      kind,
      params: { kind },
      items: hashed,
      workItems: hashed,
      reason:
        kind === 'duplicates'
          ? `${why}: exact and near duplicates among ${plural(hashed, 'hashed photo')}`
          : `${why}: burst groups and their best frames among ${plural(hashed, 'photo')}`,
    })
  }
  return out
}

/** Direct ordering edges between kinds that are both in the plan. */
function edgesWithin(kinds: ReadonlySet<JobKind>, kind: JobKind): JobKind[] {
  const before = new Set<JobKind>([...JOB_DEPENDENCIES[kind], ...(RUNS_BETTER_AFTER[kind] ?? [])])
  return [...before].filter((k) => k !== kind && kinds.has(k))
}

/**
 * Topological order (Kahn), PLAN_KINDS order breaking ties, so the same gaps always give the
 * same plan. A cycle (a bad edit of the dependency tables) fails loudly rather than dropping jobs.
 */
export function orderKinds(kinds: readonly JobKind[]): JobKind[] {
  const set = new Set(kinds)
  const rank = (k: JobKind) => {
    const i = (PLAN_KINDS as readonly JobKind[]).indexOf(k)
    return i === -1 ? PLAN_KINDS.length : i
  }
  const remaining = [...set].sort((a, b) => rank(a) - rank(b))
  const ordered: JobKind[] = []
  while (remaining.length > 0) {
    const next = remaining.findIndex((k) =>
      edgesWithin(set, k).every((dep) => ordered.includes(dep)),
    )
    if (next === -1) throw new Error(`dependency cycle among ${remaining.join(', ')}`)
    ordered.push(...remaining.splice(next, 1))
  }
  return ordered
}

/** Reasons a plan's jobs can close, per kind. */
function closableBy(kinds: ReadonlySet<JobKind>, datum: CoverageDto['datum']): Set<MissingReason> {
  const closable = new Set<MissingReason>()
  const fillers: Partial<Record<CoverageDto['datum'], JobKind>> = {
    thumbnails: 'analyze',
    hashes: 'analyze',
    quality: 'analyze',
    embeddings: 'clip',
    geohash: 'geohash',
  }
  const filler = fillers[datum]
  if (filler && kinds.has(filler)) {
    for (const r of ['never_processed', 'outdated', 'file_missing', 'mismatch'] as const)
      closable.add(r)
  }
  if (filler && filler !== 'geohash' && kinds.has('retry-failed')) {
    for (const code of TRANSIENT_ERROR_CODES) closable.add(code)
  }
  return closable
}

function expectedAfter(report: HealthReportDto, kinds: ReadonlySet<JobKind>): ExpectedDto[] {
  return report.coverage
    .filter((c) => c.available && !c.informational)
    .map((c) => {
      const closable = closableBy(kinds, c.datum)
      const remaining: ReasonCountDto[] = []
      for (const r of c.missingBy) {
        if (!closable.has(r.reason)) {
          remaining.push(r)
          continue
        }
        // A transient error is closable only while it is still retried; the rest stays.
        const problem = report.problems.find((p) => p.stage === c.stage && p.code === r.reason)
        const stuck =
          problem && problem.transient ? Math.min(r.count, problem.count - problem.retryable) : 0
        if (stuck > 0) remaining.push({ ...r, count: stuck })
      }
      const left = remaining.reduce((sum, r) => sum + r.count, 0)
      return {
        datum: c.datum,
        label: DATUM_LABELS[c.datum],
        nowPercent: c.percent,
        afterPercent: percentOf(c.eligible - left, c.eligible),
        remaining,
      }
    })
}

export function percentOf(part: number, whole: number): number {
  if (whole <= 0) return 100
  const p = Math.floor((part / whole) * 1000) / 10
  // Never round a gap away: 99,999 of 100,000 is 99.9%, not 100%.
  return part < whole ? Math.min(p, 99.9) : 100
}

function notesFor(report: HealthReportDto, kinds: ReadonlySet<JobKind>): string[] {
  const notes: string[] = []
  const embeddings = coverageOf(report, 'embeddings')
  if (embeddings && !embeddings.available && embeddings.unavailableReason) {
    notes.push(`CLIP embeddings: ${embeddings.unavailableReason}.`)
  }
  for (const stats of [report.duplicates, report.bursts]) {
    if (!stats.available && stats.unavailableReason) notes.push(stats.unavailableReason)
  }
  const permanent = report.problems.filter((p) => !p.transient && p.code !== 'vanished')
  if (permanent.length > 0) {
    const total = permanent.reduce((sum, p) => sum + p.count, 0)
    const list = permanent
      .map((p) => `${REASON_LABELS[p.code]} (${p.stage}): ${p.count}`)
      .join('; ')
    notes.push(
      `${plural(total, 'item')} cannot be processed because of the file itself — ${list}. ` +
        'No job changes that: replace or remove those files (a file whose content changes is picked up again by verify or the next import).',
    )
  }
  const exhausted = report.problems
    .filter((p) => p.transient && p.retryable < p.count)
    .reduce((sum, p) => sum + p.count - p.retryable, 0)
  if (exhausted > 0) {
    notes.push(
      `${plural(exhausted, 'item')} failed ${MAX_RETRY_ATTEMPTS} times for a reason that is usually temporary (permissions, a locked or still-copying file, a decoder crash); they are no longer retried automatically. Fix the cause, then run \`vam run retry-failed\` after \`vam run verify\` re-checks them.`,
    )
  }
  if (report.totals.vanished > 0) {
    notes.push(
      `${plural(report.totals.vanished, 'original')} vanished from disk. Reconnect the drive or move them back and run \`vam run verify\`` +
        `${kinds.has('verify') ? ' (it is in this plan: it re-links files moved under the same folder by checksum)' : ''}.`,
    )
  }
  const nullIsland = report.gpsSuspicious.find((g) => g.flag === 'null-island')
  if (nullIsland && nullIsland.count > 0) {
    notes.push(
      `${plural(nullIsland.count, 'photo')} report GPS 0,0 (a receiver without a fix): they are kept off the map; place them by hand if you know where they were taken.`,
    )
  }
  return notes
}

/** Builds the plan for a report. */
export function buildPlan(input: PlanInput): HealthPlanDto {
  const { report, measuredRate, workers, now } = input
  const found = candidates(report, now)
  const order = orderKinds(found.map((c) => c.kind))
  const kinds = new Set(order)
  const steps: PlanStepDto[] = order.map((kind) => {
    const c = found.find((f) => f.kind === kind)
    if (!c) throw new Error(`no candidate for ${kind}`)
    return {
      kind,
      params: c.params,
      title: JOB_TITLES[kind],
      items: c.items,
      reason: c.reason,
      after: edgesWithin(kinds, kind),
      estimate: estimate(kind, c.workItems, measuredRate, workers),
      command: commandFor(c.params),
    }
  })
  const sequentialSeconds = steps.reduce((sum, s) => sum + s.estimate.seconds, 0)
  return {
    folder: report.folder,
    steps,
    sequentialSeconds,
    parallelSeconds: parallelSecondsOf(steps),
    expected: expectedAfter(report, kinds),
    notes: notesFor(report, kinds),
  }
}

/**
 * Side by side, a plan takes as long as its longest dependency chain — except that CPU-bound jobs
 * share one worker pool, so together they take at least the sum of their times.
 */
export function parallelSecondsOf(steps: readonly PlanStepDto[]): number {
  const finish = new Map<JobKind, number>()
  for (const step of steps) {
    const start = Math.max(0, ...step.after.map((k) => finish.get(k) ?? 0))
    finish.set(step.kind, start + step.estimate.seconds)
  }
  const chain = Math.max(0, ...finish.values())
  const cpu = steps
    .filter((s) => CPU_BOUND.includes(s.kind))
    .reduce((sum, s) => sum + s.estimate.seconds, 0)
  return Math.max(chain, cpu)
}

/**
 * How many jobs may run at once in parallel mode: the widest set of steps with no path between
 * them, at most the number of cores (the pool is shared; more would only add context switches).
 */
export function parallelWidth(steps: readonly PlanStepDto[], cores: number): number {
  const level = new Map<JobKind, number>()
  for (const step of steps) {
    level.set(step.kind, Math.max(0, ...step.after.map((k) => (level.get(k) ?? 0) + 1)))
  }
  const widths = new Map<number, number>()
  for (const l of level.values()) widths.set(l, (widths.get(l) ?? 0) + 1)
  return Math.max(1, Math.min(Math.max(1, cores), Math.max(0, ...widths.values())))
}
